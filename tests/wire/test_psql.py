"""psql 18 against the server."""

from __future__ import annotations

import subprocess

from support import pg18


def _psql(tusk_server, dbname, *args, input=None):
    cmd = [pg18.program("psql"), "-X", "-h", tusk_server.host, "-p", str(tusk_server.port),
           "-U", tusk_server.user, "-d", dbname, *args]
    p = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=60, check=False,
                       env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    return p.returncode, p.stdout, p.stderr


def test_select_and_error(tusk_server, wire_db):
    rc, out, err = _psql(tusk_server, wire_db, "-c", "select 1 as a, 'x' as b")
    assert rc == 0
    assert out == " a | b \n---+---\n 1 | x\n(1 row)\n\n"
    rc, out, err = _psql(tusk_server, wire_db, "-c", "select 1/0")
    assert rc == 1 and err == "ERROR:  division by zero\n"
    rc, out, err = _psql(tusk_server, wire_db, "-c", "selec 1")
    assert err == ('ERROR:  syntax error at or near "selec"\nLINE 1: selec 1\n        ^\n')


def test_script_with_copy_and_transaction(tusk_server, wire_db):
    script = ("create table psql_t (a int, b text);\n"
              "copy psql_t from stdin;\n1\tone\n2\ttwo\n\\.\n"
              "begin;\ninsert into psql_t values (3, 'three');\ncommit;\n"
              "select * from psql_t order by a;\n"
              "\\copy psql_t to stdout\n"
              "drop table psql_t;\n")
    rc, out, err = _psql(tusk_server, wire_db, "-q", "-v", "ON_ERROR_STOP=1", input=script)
    assert rc == 0, err
    assert out == (" a |   b   \n---+-------\n 1 | one\n 2 | two\n 3 | three\n(3 rows)\n\n"
                   "1\tone\n2\ttwo\n3\tthree\n")


def test_unknown_database(tusk_server):
    rc, _out, err = _psql(tusk_server, "no_such_db_q", "-c", "select 1")
    assert rc == 2
    assert 'FATAL:  database "no_such_db_q" does not exist' in err
