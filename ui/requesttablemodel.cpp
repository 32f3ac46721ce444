#include "requesttablemodel.h"

#include <QColor>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

// Worker servers first: for a disaggregated request `server` is only the wrapper file, and
// the cell elides what does not fit.
const QString kServerLabels[] = {QStringLiteral("ctx_server"), QStringLiteral("gen_server"), QStringLiteral("server")};
const QString kStatusLabel = QStringLiteral("status");

// A definition gets a column when the data has the stamps of at least one of its spans:
// a phase this server never records would be an all-empty column.
bool hasStamps(const RequestTable &table, const PhaseDefinition &definition)
{
    auto recorded = [&table](const QString &stamp) {
        const int index = table.stampIndex(stamp);
        return index >= 0 && table.stampColumn(index).isAllocated();
    };
    return std::any_of(definition.spans.begin(), definition.spans.end(), [&](const PhaseSpan &span) {
        return recorded(span.startStamp) && recorded(span.endStamp);
    });
}

bool isAllDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Numeric ids sort as numbers ("999" before "1001"), anything else byte-wise.
int compareIds(std::string_view left, std::string_view right)
{
    if (isAllDigits(left) && isAllDigits(right)) {
        auto significant = [](std::string_view digits) {
            const size_t first = digits.find_first_not_of('0');
            return first == std::string_view::npos ? std::string_view() : digits.substr(first);
        };
        const std::string_view a = significant(left), b = significant(right);
        if (a.size() != b.size())
            return a.size() < b.size() ? -1 : 1;
        if (const int order = a.compare(b))
            return order;
    }
    return left.compare(right);
}

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
    m_phases = m_table ? std::make_unique<PhaseResolver>(*m_table) : nullptr;
    m_totals = m_table ? std::make_unique<PhaseResolver>(*m_table, m_table->phases().totals()) : nullptr;
    buildColumns();
    endResetModel();
}

void RequestTableModel::buildColumns()
{
    m_columns.clear();
    m_serverLabels.clear();
    m_statusLabel = -1;
    if (!m_table)
        return;

    for (const QString &name : kServerLabels) {
        const int label = m_table->labelIndex(name);
        if (label >= 0)
            m_serverLabels.push_back(label);
    }
    m_statusLabel = m_table->labelIndex(kStatusLabel);

    m_columns.push_back(
        {ColumnKind::Id, -1, QStringLiteral("id"), tr("Request id (the join key of a disaggregated request)")});
    m_columns.push_back(
        {ColumnKind::Role, -1, QStringLiteral("role"), tr("Aggregated, disaggregated, context or generation")});
    m_columns.push_back({ColumnKind::Server, -1, QStringLiteral("server"),
                         tr("Servers that handled the request (ctx_server, gen_server, server)")});
    m_columns.push_back({ColumnKind::Status, -1, kStatusLabel, tr("Request status, when the server reported one")});

    auto addDurations = [this](ColumnKind kind, const QVector<PhaseDefinition> &definitions) {
        for (int i = 0; i < definitions.size(); ++i) {
            const PhaseDefinition &definition = definitions.at(i);
            if (hasStamps(*m_table, definition))
                m_columns.push_back({kind, i, definition.name,
                                     tr("%1 (ms): %2").arg(definition.title, definition.description)});
        }
    };
    addDurations(ColumnKind::Phase, m_table->phases().all());
    addDurations(ColumnKind::Total, m_table->phases().totals());

    for (int i = 0; i < m_table->attributeCount(); ++i) {
        const NumberColumn &column = m_table->attributeColumn(i);
        if (column.isAllocated())
            m_columns.push_back({ColumnKind::Attribute, i, column.name, column.name});
    }
    for (int i = 0; i < m_table->labelCount(); ++i) {
        const bool shownElsewhere = i == m_statusLabel
            || std::find(m_serverLabels.begin(), m_serverLabels.end(), i) != m_serverLabels.end();
        if (!shownElsewhere)
            m_columns.push_back({ColumnKind::Label, i, m_table->labelColumn(i).name, m_table->labelColumn(i).name});
    }
}

int RequestTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_table ? 0 : m_table->size();
}

int RequestTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QStringList RequestTableModel::columnNames() const
{
    QStringList names;
    names.reserve(int(m_columns.size()));
    for (const Column &column : m_columns)
        names << column.name;
    return names;
}

bool RequestTableModel::isDuration(int column) const
{
    const ColumnKind kind = columnKind(column);
    return kind == ColumnKind::Phase || kind == ColumnKind::Total;
}

bool RequestTableModel::isNumeric(int column) const
{
    return isDuration(column) || columnKind(column) == ColumnKind::Attribute;
}

int RequestTableModel::columnForName(const QString &name) const
{
    for (size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].name.compare(name, Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

int RequestTableModel::columnForPhase(const QString &name) const
{
    const int column = columnForName(name);
    return column >= 0 && isDuration(column) ? column : -1;
}

PhaseState RequestTableModel::duration(int column, int row, double *milliseconds) const
{
    const Column &c = m_columns[size_t(column)];
    const PhaseResolver &resolver = c.kind == ColumnKind::Phase ? *m_phases : *m_totals;
    return resolver.duration(c.index, row, milliseconds);
}

double RequestTableModel::number(int column, int row) const
{
    if (columnKind(column) == ColumnKind::Attribute)
        return m_table->attributeColumn(m_columns[size_t(column)].index).at(row);
    double ms = 0;
    return duration(column, row, &ms) == PhaseState::Missing ? kMissing : ms;
}

QString RequestTableModel::serverText(int row) const
{
    QStringList servers;
    for (int label : m_serverLabels) {
        const QString server = m_table->labelColumn(label).at(row);
        if (!server.isEmpty() && !servers.contains(server))
            servers << server;
    }
    return servers.join(QStringLiteral(", "));
}

QString RequestTableModel::serverToolTip(int row) const
{
    QStringList lines;
    for (int label : m_serverLabels) {
        const LabelColumn &labels = m_table->labelColumn(label);
        if (!labels.at(row).isEmpty())
            lines << labels.name + QStringLiteral(": ") + labels.at(row);
    }
    return lines.join(QLatin1Char('\n'));
}

QString RequestTableModel::text(int column, int row) const
{
    switch (columnKind(column)) {
    case ColumnKind::Id: return m_table->id(row);
    case ColumnKind::Role: return roleName(m_table->role(row));
    case ColumnKind::Server: return serverText(row);
    case ColumnKind::Status: return m_statusLabel >= 0 ? m_table->labelColumn(m_statusLabel).at(row) : QString();
    case ColumnKind::Label: return m_table->labelColumn(m_columns[size_t(column)].index).at(row);
    case ColumnKind::Phase:
    case ColumnKind::Total:
    case ColumnKind::Attribute: break;
    }
    return QString();
}

int RequestTableModel::compareText(int column, int left, int right) const
{
    auto compareLabel = [this, left, right](int label) {
        const LabelColumn &labels = m_table->labelColumn(label);
        const LabelCode a = labels.codes[size_t(left)];
        const LabelCode b = labels.codes[size_t(right)];
        return a == b ? 0 : labels.values.at(int(a)).compare(labels.values.at(int(b)), Qt::CaseInsensitive);
    };
    switch (columnKind(column)) {
    case ColumnKind::Id: return compareIds(m_table->idView(left), m_table->idView(right));
    case ColumnKind::Role: return roleName(m_table->role(left)).compare(roleName(m_table->role(right)));
    case ColumnKind::Server:
        // Label by label rather than on the joined text: no string is built per comparison.
        for (int label : m_serverLabels) {
            if (const int order = compareLabel(label))
                return order;
        }
        return 0;
    case ColumnKind::Status: return m_statusLabel >= 0 ? compareLabel(m_statusLabel) : 0;
    case ColumnKind::Label: return compareLabel(m_columns[size_t(column)].index);
    case ColumnKind::Phase:
    case ColumnKind::Total:
    case ColumnKind::Attribute: break;
    }
    return 0;
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

QString RequestTableModel::plainText(int column, int row) const
{
    if (!isNumeric(column))
        return text(column, row);
    const double value = number(column, row);
    if (isMissing(value))
        return QString();
    return isDuration(column) ? QString::number(value, 'f', 6) : formatAttribute(value, 15);
}

std::vector<int> RequestTableModel::labelColumnsOf(int column) const
{
    switch (columnKind(column)) {
    case ColumnKind::Server: return m_serverLabels;
    case ColumnKind::Status: return m_statusLabel >= 0 ? std::vector<int>{m_statusLabel} : std::vector<int>{};
    case ColumnKind::Label: return {m_columns[size_t(column)].index};
    default: return {};
    }
}

QVariant RequestTableModel::alignment(int column) const
{
    // Numbers right-aligned so their decimal points line up; headers follow their cells.
    return QVariant(int(isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
}

QVariant RequestTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_table)
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
            return serverToolTip(row);
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
    case Qt::DisplayRole: return m_columns[size_t(section)].name;
    case Qt::ToolTipRole: return m_columns[size_t(section)].toolTip;
    case Qt::TextAlignmentRole: return alignment(section);
    default: return {};
    }
}

} // namespace Phaseline
