"""The portal's e-mail: the outbox every app queues into, and its sender (`send_mail_queue`)."""
