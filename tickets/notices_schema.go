package tickets

// schemaV5 holds the notice tables (filled by the notices work).
const schemaV5 = `
CREATE TABLE notices (
	id {{pk}},
	brand TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
`
