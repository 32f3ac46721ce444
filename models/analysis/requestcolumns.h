#pragma once

#include "analysis/statistics.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace Phaseline {

// The columns of a request list: identity fields, the phases and totals the data recorded,
// attributes and labels, by machine name (id, role, server, status, ctx_queue, ..., ttft,
// e2e, attributes, source, clock). The window's request table shows them, CSV export writes
// them and filter expressions name them. Every cell is read from the table when asked.
class RequestColumns
{
public:
    enum class Kind : quint8 { Id, Role, Server, Status, Phase, Total, Attribute, Label };

    // Not owned; must outlive this. nullptr: no columns.
    explicit RequestColumns(const RequestTable *table = nullptr);
    ~RequestColumns();
    RequestColumns(RequestColumns &&) noexcept;
    RequestColumns &operator=(RequestColumns &&) noexcept;

    const RequestTable *table() const { return m_table; }
    int count() const { return int(m_columns.size()); }
    QStringList names() const;
    QString name(int column) const { return m_columns[size_t(column)].name; }
    QString toolTip(int column) const { return m_columns[size_t(column)].toolTip; }
    Kind kind(int column) const { return m_columns[size_t(column)].kind; }
    bool isNumeric(int column) const;
    bool isDuration(int column) const;
    int forName(const QString &name) const; // case-insensitive; -1 when there is none
    // The column of a phase or total (ttft, e2e) by name; -1 when the data never recorded it.
    int forPhase(const QString &name) const;

    // Duration columns: the state and, unless missing, the milliseconds.
    PhaseState duration(int column, int row, double *milliseconds) const;
    // Numeric columns: ms or attribute value; NaN when missing.
    double number(int column, int row) const;
    // Text columns: the cell's text.
    QString text(int column, int row) const;
    // Text columns: <0, 0, >0 like QString::compare, without building the cell texts.
    int compareText(int column, int left, int right) const;
    // The table's label columns a text column shows (server: up to three; id, role: none).
    std::vector<int> labelColumnsOf(int column) const;
    // The server column's cell as one line per label (ctx_server: ..., gen_server: ...).
    QString serverDetails(int row) const;

private:
    struct Column
    {
        Kind kind;
        int index = -1; // phase/total/attribute/label index in the table or resolver
        QString name;
        QString toolTip;
    };

    const RequestTable *m_table = nullptr;
    std::unique_ptr<PhaseResolver> m_phases;
    std::unique_ptr<PhaseResolver> m_totals;
    std::vector<Column> m_columns;
    int m_statusLabel = -1;
    std::vector<int> m_serverLabels; // label columns joined into the server column
};

} // namespace Phaseline
