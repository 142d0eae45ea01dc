-- The record: users and their API tokens, customers, cases and everything that happens on them,
-- and the audit log. Times are Unix milliseconds (UTC); money is integer cents.
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('agent', 'manager', 'admin')),
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);

CREATE TABLE api_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE customers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    tier TEXT,
    lifetime_value_cents BIGINT,
    orders BIGINT,
    customer_since BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE customer_identities (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'handle')),
    value TEXT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

CREATE TABLE cases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id),
    subject TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'escalated', 'resolved', 'closed')),
    channel TEXT NOT NULL,
    product TEXT,
    category TEXT,
    assignee_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    external_id TEXT UNIQUE,
    escalated_at BIGINT,
    escalation_reason TEXT,
    opened_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    resolved_at BIGINT,
    closed_at BIGINT
);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_assignee ON cases (assignee_id, id);
CREATE INDEX cases_customer ON cases (customer_id, id);
CREATE INDEX cases_escalated ON cases (id) WHERE escalated_at IS NOT NULL;

CREATE TABLE messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound', 'note')),
    author TEXT NOT NULL,
    author_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    external_id TEXT UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_case ON messages (case_id, id);

CREATE TABLE actions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX actions_case ON actions (case_id, id);

CREATE TABLE offers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('refund', 'return', 'exchange', 'repair', 'store_credit', 'discount', 'other')),
    amount_cents BIGINT,
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'withdrawn')),
    reason TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    proposed_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_note TEXT
);
CREATE INDEX offers_case ON offers (case_id, id);

CREATE TABLE commitments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    settled_at BIGINT
);
CREATE INDEX commitments_case ON commitments (case_id, id);
CREATE INDEX commitments_open_due ON commitments (due_at) WHERE status = 'open';

CREATE TABLE follow_ups (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    due_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('due', 'done', 'skipped')),
    outcome TEXT,
    satisfaction BIGINT CHECK (satisfaction BETWEEN 1 AND 5),
    created_at BIGINT NOT NULL,
    completed_at BIGINT,
    completed_by TEXT,
    notified_at BIGINT,
    notified_by TEXT
);
CREATE INDEX follow_ups_case ON follow_ups (case_id, id);
CREATE INDEX follow_ups_due ON follow_ups (due_at, id) WHERE status = 'due';

-- The audit log has no foreign keys: it outlives what it describes.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id BIGINT,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id BIGINT,
    at BIGINT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_case ON audit_log (case_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
