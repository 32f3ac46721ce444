#include "formats/csvcolumnmapping.h"

#include <QStringList>

#include <algorithm>

namespace Phaseline {

namespace {

constexpr CsvColumnMapping::Kind kKinds[] = {
    CsvColumnMapping::Kind::Ignore,   CsvColumnMapping::Kind::Id,        CsvColumnMapping::Kind::Role,
    CsvColumnMapping::Kind::Stamp,    CsvColumnMapping::Kind::Duration,  CsvColumnMapping::Kind::Attribute,
    CsvColumnMapping::Kind::Label,
};
constexpr CsvColumnMapping::Unit kUnits[] = {CsvColumnMapping::Unit::Seconds, CsvColumnMapping::Unit::Milliseconds,
                                             CsvColumnMapping::Unit::Microseconds,
                                             CsvColumnMapping::Unit::Nanoseconds};

} // namespace

bool CsvColumnMapping::hasTiming() const
{
    return std::any_of(columns.begin(), columns.end(),
                       [](const Column &column) { return column.kind == Kind::Stamp || column.kind == Kind::Duration; });
}

int CsvColumnMapping::idColumn() const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns[i].kind == Kind::Id)
            return i;
    }
    return -1;
}

QString CsvColumnMapping::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Ignore: return QStringLiteral("ignore");
    case Kind::Id: return QStringLiteral("id");
    case Kind::Role: return QStringLiteral("role");
    case Kind::Stamp: return QStringLiteral("stamp");
    case Kind::Duration: return QStringLiteral("duration");
    case Kind::Attribute: return QStringLiteral("attribute");
    case Kind::Label: return QStringLiteral("label");
    }
    return QString();
}

QString CsvColumnMapping::unitName(Unit unit)
{
    switch (unit) {
    case Unit::Seconds: return QStringLiteral("s");
    case Unit::Milliseconds: return QStringLiteral("ms");
    case Unit::Microseconds: return QStringLiteral("us");
    case Unit::Nanoseconds: return QStringLiteral("ns");
    }
    return QString();
}

double CsvColumnMapping::secondsPer(Unit unit)
{
    switch (unit) {
    case Unit::Seconds: return 1;
    case Unit::Milliseconds: return 1e-3;
    case Unit::Microseconds: return 1e-6;
    case Unit::Nanoseconds: return 1e-9;
    }
    return 1;
}

// "absolute|stamp:server_received:s|ignore|..." : kind, target and unit per column.
QString CsvColumnMapping::toText() const
{
    QStringList parts{absoluteStamps ? QStringLiteral("absolute") : QStringLiteral("relative")};
    for (const Column &column : columns)
        parts << QStringLiteral("%1:%2:%3").arg(kindName(column.kind), column.target, unitName(column.unit));
    return parts.join(QLatin1Char('|'));
}

bool CsvColumnMapping::parseUnit(const QString &name, Unit *unit)
{
    const auto found = std::find_if(std::begin(kUnits), std::end(kUnits), [&](Unit u) { return unitName(u) == name; });
    if (found == std::end(kUnits))
        return false;
    *unit = *found;
    return true;
}

bool CsvColumnMapping::fromText(const QString &text, CsvColumnMapping *mapping)
{
    const QStringList parts = text.split(QLatin1Char('|'));
    if (parts.isEmpty() || (parts[0] != QLatin1String("absolute") && parts[0] != QLatin1String("relative")))
        return false;
    CsvColumnMapping read;
    read.absoluteStamps = parts[0] == QLatin1String("absolute");
    for (int i = 1; i < parts.size(); ++i) {
        const QStringList fields = parts[i].split(QLatin1Char(':'));
        if (fields.size() != 3)
            return false;
        Column column;
        const auto kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                                       [&](Kind k) { return kindName(k) == fields[0]; });
        if (kind == std::end(kKinds) || !parseUnit(fields[2], &column.unit))
            return false;
        column.kind = *kind;
        column.target = fields[1];
        read.columns.append(column);
    }
    *mapping = read;
    return true;
}

} // namespace Phaseline
