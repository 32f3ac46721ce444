#include "requesttablemodel.h"

#include <QColor>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

// Counts and ids read as integers; other attributes (acceptance rates) with `digits`.
QString formatAttribute(double value, int digits)
{
    const bool integral = std::floor(value) == value && std::abs(value) < 1e15;
    return integral ? QString::number(value, 'f', 0) : QString::number(value, 'g', digits);
}

} // namespace

RequestTableModel::RequestTableModel(QObject *parent) : QAbstractTableModel(parent) {}

RequestTableModel::~RequestTableModel() = default;

void RequestTableModel::setTable(std::shared_ptr<const RequestTable> table)
{
    beginResetModel();
    m_table = std::move(table);
    m_columns = RequestColumns(m_table.get());
    endResetModel();
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !table() ? 0 : table()->size();
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_columns.count();
}

QString RequestTableModel::displayText(int column, int row) const
{
    if (columnKind(column) == ColumnKind::Attribute) {
        const double value = number(column, row);
        return isMissing(value) ? QString() : formatAttribute(value, 6);
    }
    if (!isDuration(column))
        return text(column, row);
    double ms = 0;
    switch (duration(column, row, &ms)) {
    case PhaseState::Missing: return QString();
    case PhaseState::Recorded: return QString::number(ms, 'f', 3);
    case PhaseState::Anomaly: return QStringLiteral("\u26A0 ") + QString::number(ms, 'f', 3);
    }
    return QString();
}

QString RequestTableModel::plainText(const RequestColumns &columns, int column, int row)
{
    if (!columns.isNumeric(column))
        return columns.text(column, row);
    const double value = columns.number(column, row);
    if (isMissing(value))
        return QString();
    return columns.isDuration(column) ? QString::number(value, 'f', 6) : formatAttribute(value, 15);
}

QVariant RequestTableModel::alignment(int column) const
{
    // Numbers right-aligned so their decimal points line up; headers follow their cells.
    return QVariant(int(isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !table())
        return {};
    const int column = index.column();
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole: return displayText(column, row);
    case SortKeyRole: return isNumeric(column) ? QVariant(number(column, row)) : QVariant(text(column, row));
    case RowRole: return row;
    case Qt::TextAlignmentRole: return alignment(column);
    case Qt::ForegroundRole:
    case Qt::ToolTipRole: {
        if (role == Qt::ToolTipRole && columnKind(column) == ColumnKind::Server)
            return m_columns.serverDetails(row);
        if (!isDuration(column))
            return {};
        double ms = 0;
        const PhaseState state = duration(column, row, &ms);
        if (role == Qt::ForegroundRole)
            return state == PhaseState::Anomaly ? QVariant(QColor(0xD3, 0x2F, 0x2F)) : QVariant();
        if (state == PhaseState::Anomaly)
            return tr("End before start by %1 ms: the two stamps disagree (clock skew between servers?)")
                .arg(QString::number(-ms, 'f', 3));
        return state == PhaseState::Missing ? tr("Not recorded") : QVariant();
    }
    default: return {};
    }
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (role) {
    case Qt::DisplayRole: return m_columns.name(section);
    case Qt::ToolTipRole: return m_columns.toolTip(section);
    case Qt::TextAlignmentRole: return alignment(section);
    default: return {};
    }
}

} // namespace Phaseline
