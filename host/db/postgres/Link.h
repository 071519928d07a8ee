// Module-internal: statements on one libpq connection (PQexecParams, rows as JSON).
#pragma once

#include "db/PostgresDriver.h"

#include <libpq-fe.h>

#include <memory>

namespace warren::db::detail {

std::unique_ptr<PostgresLink> makeLink(PGconn* connection, const PostgresHost& host);

}  // namespace warren::db::detail
