#pragma once

#include "statistics.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <memory>
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

    enum class ColumnKind : quint8 { Id, Role, Server, Status, Phase, Total, Attribute, Label };

    explicit RequestTableModel(QObject *parent = nullptr);
    ~RequestTableModel() override;

    // A snapshot the model keeps while it shows it; nullptr empties the model.
    void setTable(std::shared_ptr<const RequestTable> table);
    const RequestTable *table() const { return m_table.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // --- columns --------------------------------------------------------------------
    // Machine names (id, role, server, status, ctx_queue, ..., ttft, e2e, attributes,
    // source, clock): the CSV header and the names filter expressions use.
    QStringList columnNames() const;
    QString columnName(int column) const { return m_columns[size_t(column)].name; }
    ColumnKind columnKind(int column) const { return m_columns[size_t(column)].kind; }
    bool isNumeric(int column) const;
    bool isDuration(int column) const;
    int columnForName(const QString &name) const;
    // The column of a phase or total (ttft, e2e) by name; -1 when the data never recorded it.
    int columnForPhase(const QString &name) const;

    // --- direct cell access (sorting, filtering and export bypass QVariant) ----------
    // Duration columns: the state and, unless missing, the milliseconds.
    PhaseState duration(int column, int row, double *milliseconds) const;
    // Numeric columns: ms or attribute value; NaN when missing.
    double number(int column, int row) const;
    // Text columns: the cell's text.
    QString text(int column, int row) const;
    // Text columns: <0, 0, >0 like QString::compare, without building the cell texts.
    int compareText(int column, int left, int right) const;
    // Display text of any cell ("" for missing numbers).
    QString displayText(int column, int row) const;
    // Undecorated text for export: ms with 6 decimals, attributes in full, "" for missing.
    QString plainText(int column, int row) const;
    // The table's label columns a text column shows (server: up to three; id, role: none).
    std::vector<int> labelColumnsOf(int column) const;

private:
    struct Column
    {
        ColumnKind kind;
        int index = -1; // phase/total/attribute/label index in the table or resolver
        QString name;
        QString toolTip;
    };

    void buildColumns();
    QString serverText(int row) const;
    QString serverToolTip(int row) const;
    QVariant alignment(int column) const;

    std::shared_ptr<const RequestTable> m_table;
    std::unique_ptr<PhaseResolver> m_phases;
    std::unique_ptr<PhaseResolver> m_totals;
    std::vector<Column> m_columns;
    int m_statusLabel = -1;
    std::vector<int> m_serverLabels; // label columns joined into the server column
};

} // namespace Phaseline
