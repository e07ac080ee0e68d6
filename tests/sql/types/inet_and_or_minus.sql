-- inet & and | keep the wider netmask; inet - inet must fit in bigint
select '10.1.2.3/8'::inet & '10.0.0.0/32'::inet, '10.1.2.3/8'::inet | '10.0.0.0/32'::inet;
select '10:23::f1/64'::inet & '10:23::f1/128'::inet, '::4.3.2.1/24'::inet | '::ffff:1.2.3.4/128'::inet;
select '192.168.1.5/24'::cidr & '255.255.0.0/16'::inet;
select '127::1'::inet - '126::2'::inet;
select '126::1'::inet - '127::2'::inet;
select '127.0.0.9'::inet - '127.0.0.1'::inet;
select '127.0.0.1'::inet - 10000000000;
