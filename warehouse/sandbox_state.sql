-- sandbox_state.sql — is this database instance already sandboxed? (external access, locked)
SELECT current_setting('enable_external_access'), current_setting('lock_configuration');
