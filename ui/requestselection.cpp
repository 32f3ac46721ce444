#include "requestselection.h"

#include <algorithm>

namespace Phaseline {

bool RequestSelection::contains(int row) const
{
    return std::binary_search(m_rows.begin(), m_rows.end(), row);
}

void RequestSelection::setRows(std::vector<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows == m_rows)
        return;
    m_rows = std::move(rows);
    Q_EMIT changed();
}

void RequestSelection::selectOnly(int row)
{
    setRows({row});
}

void RequestSelection::clear()
{
    setRows({});
}

} // namespace Phaseline
