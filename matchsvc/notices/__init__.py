"""In-app notices, and e-mail and SMS sent through an outbox with the user's consent."""
