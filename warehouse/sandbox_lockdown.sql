-- sandbox_lockdown.sql — turn a read-only connection into the SQL sandbox (etl/load/sandbox.py).
-- Run after the bundled fts extension is loaded, in this order: once external access is off,
-- no file, URL, ATTACH, COPY, EXPORT, INSTALL or LOAD works; once the configuration is locked,
-- no SET or RESET can switch it back on. Analysts' own clients: see warehouse/README.md.
SET enable_external_access = false;
SET lock_configuration = true;
