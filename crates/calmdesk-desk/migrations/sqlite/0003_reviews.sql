-- The coach's Review of each outbound reply and internal note (JSON), stored with the message.
ALTER TABLE messages ADD COLUMN review TEXT;
