-- pg_size_pretty (bigint, numeric) and pg_size_bytes
SELECT pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), pg_size_pretty(-10240::bigint),
       pg_size_pretty(20971519::bigint), pg_size_pretty(9223372036854775807),
       pg_size_pretty(-9223372036854775808);
SELECT pg_size_pretty(10239.5::numeric), pg_size_pretty(-10240.5::numeric), pg_size_pretty(-1e30::numeric),
       pg_size_pretty(12345.678::numeric), pg_size_pretty(1e40::numeric), pg_size_pretty('nan'::numeric),
       pg_size_pretty('-inf'::numeric);
SELECT pg_size_bytes('1 kb'), pg_size_bytes('  1.5e3 MB  '), pg_size_bytes('-.5 kB'), pg_size_bytes('1.5 B'),
       pg_size_bytes('1e-2 kB'), pg_size_bytes('1.'), pg_size_bytes('+1 pb'), pg_size_bytes(E'\t1\tmb\n'),
       pg_size_bytes('1 BYTES'), pg_size_bytes('1e2');
SELECT pg_size_bytes('');
SELECT pg_size_bytes('abc');
SELECT pg_size_bytes('1 xx');
SELECT pg_size_bytes('1 k B');
SELECT pg_size_bytes('1e+ kB');
SELECT pg_size_bytes('- 1');
SELECT pg_size_bytes('.kB');
SELECT pg_size_bytes('1e1000 kB');
SELECT pg_size_bytes('9223372036854775807 kB');
SELECT pg_numa_available();
SELECT count(*) FROM pg_shmem_allocations_numa;
