-- What an escalation carries besides its reason: the rules that fired with their evidence and
-- the hand-over wording (JSON), cleared with the reason on de-escalation; and the keys of every
-- reason a case was ever escalated for (JSON array), so that an automatic escalation fires again
-- only for something new.
ALTER TABLE cases ADD COLUMN escalation TEXT;
ALTER TABLE cases ADD COLUMN escalation_keys TEXT;
