#pragma once

#include "analysis/requestcolumns.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace Phaseline {

// One row per request of a RequestTable, one column per identity field, phase, total,
// attribute and label. Nothing is cached per row: every cell is computed from the table's
// columns when asked, so a million requests cost no more memory than the table itself.
class RequestTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum ItemRole {
        SortKeyRole = Qt::UserRole, // double (ms or attribute value, NaN when missing) or QString
        RowRole = Qt::UserRole + 1, // int: the request's row in the RequestTable
    };

    using ColumnKind = RequestColumns::Kind;

    explicit RequestTableModel(QObject *parent = nullptr);
    ~RequestTableModel() override;

    // A snapshot the model keeps while it shows it; nullptr empties the model.
    void setTable(std::shared_ptr<const RequestTable> table);
    const RequestTable *table() const { return m_table.get(); }
    // The snapshot shown, for work that outlives a table change (a background export).
    const std::shared_ptr<const RequestTable> &tableSnapshot() const { return m_table; }
    const RequestColumns &columns() const { return m_columns; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // --- columns (RequestColumns: the names filter expressions and CSV export use) -----
    QStringList columnNames() const { return m_columns.names(); }
    QString columnName(int column) const { return m_columns.name(column); }
    ColumnKind columnKind(int column) const { return m_columns.kind(column); }
    bool isNumeric(int column) const { return m_columns.isNumeric(column); }
    bool isDuration(int column) const { return m_columns.isDuration(column); }
    int columnForName(const QString &name) const { return m_columns.forName(name); }
    int columnForPhase(const QString &name) const { return m_columns.forPhase(name); }

    // --- direct cell access (sorting, filtering and export bypass QVariant) ----------
    PhaseState duration(int column, int row, double *milliseconds) const
    {
        return m_columns.duration(column, row, milliseconds);
    }
    double number(int column, int row) const { return m_columns.number(column, row); }
    QString text(int column, int row) const { return m_columns.text(column, row); }
    int compareText(int column, int left, int right) const { return m_columns.compareText(column, left, right); }
    // Display text of any cell ("" for missing numbers).
    QString displayText(int column, int row) const;
    // Undecorated text for export: ms with 6 decimals, attributes in full, "" for missing.
    QString plainText(int column, int row) const { return plainText(m_columns, column, row); }
    static QString plainText(const RequestColumns &columns, int column, int row);
    std::vector<int> labelColumnsOf(int column) const { return m_columns.labelColumnsOf(column); }

private:
    QVariant alignment(int column) const;

    std::shared_ptr<const RequestTable> m_table;
    RequestColumns m_columns;
};

} // namespace Phaseline
