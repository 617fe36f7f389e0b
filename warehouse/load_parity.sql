-- load_parity.sql — replace the parity rows of a batch of letters. Registered Arrow table:
-- incoming_parity (the columns of parse_parity). Delete-then-insert inside one transaction
-- (etl.load.parity), so loading the same comparison twice leaves identical content.
DELETE FROM parse_parity WHERE document_id IN (SELECT document_id FROM incoming_parity);
INSERT INTO parse_parity BY NAME SELECT * FROM incoming_parity;
