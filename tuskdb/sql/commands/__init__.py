"""Utility commands (PostgreSQL's commands/): DDL and other non-plannable statements.

HANDLERS maps a raw statement kind to ``handler(session, raw) -> QueryResult``.
A handler with ``no_transaction_block`` set runs outside any transaction block
(it manages its own transactions).
"""

from __future__ import annotations

from tuskdb.sql.commands import (alter, copy, dbcommands, fkeys, functioncmds, grant, indexcmds,
                                  misc, portalcmds, sequence, tablecmds, tsearchcmds, typecmds,
                                  vacuum,
                                  view)

from tuskdb.sql.commands import (cluster, defaclcmds, lockcmds, ownedcmds,  # noqa: E402
                                  rolecmds, schemacmds)
from tuskdb.sql.explain import explain_stmt  # noqa: E402

def _opclass():  # noqa: ANN202 - imported lazily (commands/opclass.py)
    from tuskdb.sql.commands import opclass
    return opclass


def _matview():  # noqa: ANN202 - imported lazily (commands/matview.py)
    from tuskdb.sql.commands import matview
    return matview


def _proccmds():  # noqa: ANN202 - imported lazily (commands/proccmds.py)
    from tuskdb.sql.commands import proccmds
    return proccmds


def _foreign():  # noqa: ANN202 - imported lazily (commands/foreigncmds.py)
    from tuskdb.sql.commands import foreigncmds
    return foreigncmds


def _foreign_table():  # noqa: ANN202 - imported lazily (commands/foreign_table.py)
    from tuskdb.sql.commands import foreign_table
    return foreign_table


def _operatorcmds():  # noqa: ANN202 - imported lazily (commands/operatorcmds.py)
    from tuskdb.sql.commands import operatorcmds
    return operatorcmds


def _publication():  # noqa: ANN202 - imported lazily (commands/publicationcmds.py)
    from tuskdb.sql.commands import publicationcmds
    return publicationcmds


def _subscription():  # noqa: ANN202 - imported lazily (commands/subscriptioncmds.py)
    from tuskdb.sql.commands import subscriptioncmds
    return subscriptioncmds


def _castcmds():  # noqa: ANN202 - imported lazily (commands/castcmds.py)
    from tuskdb.sql.commands import castcmds
    return castcmds


def _seclabel():  # noqa: ANN202 - imported lazily (commands/seclabel.py)
    from tuskdb.sql.commands import seclabel
    return seclabel


def _pl():  # noqa: ANN202 - imported lazily (sql/pl)
    from tuskdb.sql import pl
    return pl


HANDLERS = {
    "CreateStmt": tablecmds.create_table,
    "CreateTableAsStmt": tablecmds.create_table_as,
    "DropStmt": tablecmds.drop,
    "TruncateStmt": tablecmds.truncate,
    "AlterTableStmt": tablecmds.alter_table,
    "CreateSchemaStmt": tablecmds.create_schema,
    "IndexStmt": indexcmds.create_index,
    "RenameStmt": alter.rename,
    "CreateFunctionStmt": functioncmds.create_function,
    "AlterFunctionStmt": functioncmds.alter_function,
    "DoStmt": lambda s, raw: _pl().do_stmt(s, raw),
    "CreateOpClassStmt": lambda s, raw: _opclass().create_opclass(s, raw),
    "GrantStmt": grant.grant,
    "GrantRoleStmt": rolecmds.grant_role,
    "DropOwnedStmt": ownedcmds.drop_owned,
    "AlterDefaultPrivilegesStmt": defaclcmds.alter_default_privileges,
    "ReassignOwnedStmt": ownedcmds.reassign_owned,
    "CommentStmt": alter.comment,
    "ReindexStmt": alter.reindex,
    "ViewStmt": view.create_view,
    "CreateSeqStmt": sequence.create_sequence,
    "AlterSeqStmt": sequence.alter_sequence,
    "CreatedbStmt": dbcommands.create_database,
    "DropdbStmt": dbcommands.drop_database,
    "AlterDatabaseSetStmt": dbcommands.alter_database_set,
    "AlterRoleSetStmt": dbcommands.alter_role_set,
    "VacuumStmt": vacuum.vacuum,
    "CopyStmt": copy.copy,
    "ConstraintsSetStmt": fkeys.set_constraints,
    "DeclareCursorStmt": portalcmds.declare,
    "FetchStmt": portalcmds.fetch,
    "ClosePortalStmt": portalcmds.close,
    "PrepareStmt": misc.prepare,
    "ExecuteStmt": misc.execute,
    "DeallocateStmt": misc.deallocate,
    "DiscardStmt": misc.discard,
    "CheckPointStmt": misc.checkpoint,
    "CreateRoleStmt": rolecmds.create_role,
    "ExplainStmt": explain_stmt,
    "LockStmt": lockcmds.lock_stmt,
    "SecLabelStmt": lambda s, raw: _seclabel().security_label(s, raw),
    "CreateCastStmt": lambda s, raw: _castcmds().create_cast(s, raw),
    "AlterRoleStmt": rolecmds.alter_role,
    "DropRoleStmt": rolecmds.drop_role,
    # types and domains (typecmds.py)
    "DefineStmt": typecmds.define_type,
    "CreateEnumStmt": typecmds.create_enum,
    "CompositeTypeStmt": typecmds.create_composite,
    "CreateRangeStmt": typecmds.create_range,
    "CreateDomainStmt": typecmds.create_domain,
    "AlterEnumStmt": typecmds.alter_enum,
    "AlterDomainStmt": typecmds.alter_domain,
    "AlterOwnerStmt": typecmds.alter_owner,
    "AlterObjectSchemaStmt": schemacmds.alter_object_schema,
    # text search (tsearchcmds.py)
    "AlterTSDictionaryStmt": tsearchcmds.alter_dictionary,
    "AlterTSConfigurationStmt": tsearchcmds.alter_configuration,
    "ClusterStmt": cluster.cluster,
    "RefreshMatViewStmt": lambda s, raw: _matview().refresh_matview(s, raw),
    "CallStmt": lambda s, raw: _proccmds().call_stmt(s, raw),
    # SQL/MED (foreigncmds.py)
    "CreateFdwStmt": lambda s, raw: _foreign().create_fdw(s, raw),
    "AlterFdwStmt": lambda s, raw: _foreign().alter_fdw(s, raw),
    "CreateForeignServerStmt": lambda s, raw: _foreign().create_server(s, raw),
    "AlterForeignServerStmt": lambda s, raw: _foreign().alter_server(s, raw),
    "CreateUserMappingStmt": lambda s, raw: _foreign().create_user_mapping(s, raw),
    "AlterUserMappingStmt": lambda s, raw: _foreign().alter_user_mapping(s, raw),
    "DropUserMappingStmt": lambda s, raw: _foreign().drop_user_mapping(s, raw),
    "CreateForeignTableStmt": lambda s, raw: _foreign_table().create_foreign_table(s, raw),
    "ImportForeignSchemaStmt": lambda s, raw: _foreign_table().import_foreign_schema(s, raw),
    "AlterOperatorStmt": lambda s, raw: _operatorcmds().alter_operator(s, raw),
    # logical replication (publicationcmds.py)
    "CreatePublicationStmt": lambda s, raw: _publication().create_publication(s, raw),
    "AlterPublicationStmt": lambda s, raw: _publication().alter_publication(s, raw),
    "CreateSubscriptionStmt": lambda s, raw: _subscription().create_subscription(s, raw),
    "AlterSubscriptionStmt": lambda s, raw: _subscription().alter_subscription(s, raw),
    "DropSubscriptionStmt": lambda s, raw: _subscription().drop_subscription(s, raw),
}
