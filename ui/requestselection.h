#pragma once

#include <QObject>

#include <vector>

namespace Phaseline {

// The selection shared by every view (select in one, see it in all). Rows are indices
// into the loaded RequestTable, kept sorted and unique. Views never talk to each other;
// they listen to this object.
class RequestSelection : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    const std::vector<int> &rows() const { return m_rows; }
    bool isEmpty() const { return m_rows.empty(); }
    bool contains(int row) const;

    void setRows(std::vector<int> rows);
    void selectOnly(int row);
    void clear();

Q_SIGNALS:
    void changed();

private:
    std::vector<int> m_rows;
};

} // namespace Phaseline
