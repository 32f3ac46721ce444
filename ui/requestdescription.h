#pragma once

#include "core/requesttable.h"

#include <QString>

namespace Phaseline {

// Text shared by every view's tooltips, so a request reads the same everywhere.
QString formatMilliseconds(double ms); // "12.345"
// "disaggregated · context http://ctx:8001 → generation http://gen:8002"
QString describeRoleAndServers(const RequestTable &table, int row);

} // namespace Phaseline
