// e2e-redis-cluster project: hubs use the 3-master Redis Cluster.
process.env.GRIDFED_TEST_REDIS = 'cluster';
