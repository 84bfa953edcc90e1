// e2e project: hubs use the single redis-server (set per test file: one worker runs both projects' files).
process.env.GRIDFED_TEST_REDIS = 'single';
