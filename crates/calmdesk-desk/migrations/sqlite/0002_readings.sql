-- The Reading of each inbound message (JSON) and the version of the models that made it, so
-- `calmdesk reread` can find messages read by older models.
ALTER TABLE messages ADD COLUMN reading TEXT;
ALTER TABLE messages ADD COLUMN reading_version TEXT;
CREATE INDEX messages_inbound_reading ON messages (id) WHERE direction = 'inbound';
