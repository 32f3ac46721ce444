#include "analysis/requestcolumns.h"

#include <QCoreApplication>

#include <algorithm>

namespace Phaseline {

namespace {

// Worker servers first: for a disaggregated request `server` is only the wrapper file, and
// the cell elides what does not fit.
const QString kServerLabels[] = {QStringLiteral("ctx_server"), QStringLiteral("gen_server"), QStringLiteral("server")};
const QString kStatusLabel = QStringLiteral("status");

QString tr(const char *text)
{
    return QCoreApplication::translate("Phaseline::RequestTableModel", text);
}

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

} // namespace

RequestColumns::RequestColumns(const RequestTable *table) : m_table(table)
{
    if (!m_table)
        return;
    m_phases = std::make_unique<PhaseResolver>(*table);
    m_totals = std::make_unique<PhaseResolver>(*table, table->phases().totals());

    for (const QString &name : kServerLabels) {
        const int label = m_table->labelIndex(name);
        if (label >= 0)
            m_serverLabels.push_back(label);
    }
    m_statusLabel = m_table->labelIndex(kStatusLabel);

    m_columns.push_back({Kind::Id, -1, QStringLiteral("id"), tr("Request id (the join key of a disaggregated request)")});
    m_columns.push_back({Kind::Role, -1, QStringLiteral("role"), tr("Aggregated, disaggregated, context or generation")});
    m_columns.push_back({Kind::Server, -1, QStringLiteral("server"),
                         tr("Servers that handled the request (ctx_server, gen_server, server)")});
    m_columns.push_back({Kind::Status, -1, kStatusLabel, tr("Request status, when the server reported one")});

    auto addDurations = [this](Kind kind, const QVector<PhaseDefinition> &definitions) {
        for (int i = 0; i < definitions.size(); ++i) {
            const PhaseDefinition &definition = definitions.at(i);
            if (hasStamps(*m_table, definition))
                m_columns.push_back({kind, i, definition.name, tr("%1 (ms): %2").arg(definition.title, definition.description)});
        }
    };
    addDurations(Kind::Phase, m_table->phases().all());
    addDurations(Kind::Total, m_table->phases().totals());

    for (int i = 0; i < m_table->attributeCount(); ++i) {
        const NumberColumn &column = m_table->attributeColumn(i);
        if (column.isAllocated())
            m_columns.push_back({Kind::Attribute, i, column.name, column.name});
    }
    for (int i = 0; i < m_table->labelCount(); ++i) {
        const bool shownElsewhere = i == m_statusLabel
            || std::find(m_serverLabels.begin(), m_serverLabels.end(), i) != m_serverLabels.end();
        if (!shownElsewhere)
            m_columns.push_back({Kind::Label, i, m_table->labelColumn(i).name, m_table->labelColumn(i).name});
    }
}

RequestColumns::~RequestColumns() = default;
RequestColumns::RequestColumns(RequestColumns &&) noexcept = default;
RequestColumns &RequestColumns::operator=(RequestColumns &&) noexcept = default;

QStringList RequestColumns::names() const
{
    QStringList names;
    names.reserve(int(m_columns.size()));
    for (const Column &column : m_columns)
        names << column.name;
    return names;
}

bool RequestColumns::isDuration(int column) const
{
    const Kind k = kind(column);
    return k == Kind::Phase || k == Kind::Total;
}

bool RequestColumns::isNumeric(int column) const
{
    return isDuration(column) || kind(column) == Kind::Attribute;
}

int RequestColumns::forName(const QString &name) const
{
    for (size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i].name.compare(name, Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

int RequestColumns::forPhase(const QString &name) const
{
    const int column = forName(name);
    return column >= 0 && isDuration(column) ? column : -1;
}

PhaseState RequestColumns::duration(int column, int row, double *milliseconds) const
{
    const Column &c = m_columns[size_t(column)];
    const PhaseResolver &resolver = c.kind == Kind::Phase ? *m_phases : *m_totals;
    return resolver.duration(c.index, row, milliseconds);
}

double RequestColumns::number(int column, int row) const
{
    if (kind(column) == Kind::Attribute)
        return m_table->attributeColumn(m_columns[size_t(column)].index).at(row);
    double ms = 0;
    return duration(column, row, &ms) == PhaseState::Missing ? kMissing : ms;
}

QString RequestColumns::text(int column, int row) const
{
    switch (kind(column)) {
    case Kind::Id: return m_table->id(row);
    case Kind::Role: return roleName(m_table->role(row));
    case Kind::Server: {
        QStringList servers;
        for (int label : m_serverLabels) {
            const QString server = m_table->labelColumn(label).at(row);
            if (!server.isEmpty() && !servers.contains(server))
                servers << server;
        }
        return servers.join(QStringLiteral(", "));
    }
    case Kind::Status: return m_statusLabel >= 0 ? m_table->labelColumn(m_statusLabel).at(row) : QString();
    case Kind::Label: return m_table->labelColumn(m_columns[size_t(column)].index).at(row);
    case Kind::Phase:
    case Kind::Total:
    case Kind::Attribute: break;
    }
    return QString();
}

QString RequestColumns::serverDetails(int row) const
{
    QStringList lines;
    for (int label : m_serverLabels) {
        const LabelColumn &labels = m_table->labelColumn(label);
        if (!labels.at(row).isEmpty())
            lines << labels.name + QStringLiteral(": ") + labels.at(row);
    }
    return lines.join(QLatin1Char('\n'));
}

int RequestColumns::compareText(int column, int left, int right) const
{
    auto compareLabel = [this, left, right](int label) {
        const LabelColumn &labels = m_table->labelColumn(label);
        const LabelCode a = labels.codes[size_t(left)];
        const LabelCode b = labels.codes[size_t(right)];
        return a == b ? 0 : labels.values.at(int(a)).compare(labels.values.at(int(b)), Qt::CaseInsensitive);
    };
    switch (kind(column)) {
    case Kind::Id: return compareIds(m_table->idView(left), m_table->idView(right));
    case Kind::Role: return roleName(m_table->role(left)).compare(roleName(m_table->role(right)));
    case Kind::Server:
        // Label by label rather than on the joined text: no string is built per comparison.
        for (int label : m_serverLabels) {
            if (const int order = compareLabel(label))
                return order;
        }
        return 0;
    case Kind::Status: return m_statusLabel >= 0 ? compareLabel(m_statusLabel) : 0;
    case Kind::Label: return compareLabel(m_columns[size_t(column)].index);
    case Kind::Phase:
    case Kind::Total:
    case Kind::Attribute: break;
    }
    return 0;
}

std::vector<int> RequestColumns::labelColumnsOf(int column) const
{
    switch (kind(column)) {
    case Kind::Server: return m_serverLabels;
    case Kind::Status: return m_statusLabel >= 0 ? std::vector<int>{m_statusLabel} : std::vector<int>{};
    case Kind::Label: return {m_columns[size_t(column)].index};
    default: return {};
    }
}

} // namespace Phaseline
