#include "requestdescription.h"

#include <QStringList>

namespace Phaseline {

QString formatMilliseconds(double ms)
{
    return QString::number(ms, 'f', 3);
}

QString describeRoleAndServers(const RequestTable &table, int row)
{
    QString text = roleName(table.role(row));
    const QString ctx = table.label(QStringLiteral("ctx_server"), row);
    const QString gen = table.label(QStringLiteral("gen_server"), row);
    const QString server = table.label(QStringLiteral("server"), row);
    QStringList servers;
    if (!ctx.isEmpty())
        servers << QStringLiteral("context %1").arg(ctx);
    if (!gen.isEmpty())
        servers << QStringLiteral("generation %1").arg(gen);
    if (servers.isEmpty() && !server.isEmpty())
        servers << server;
    if (!servers.isEmpty())
        text += QStringLiteral(" · ") + servers.join(QStringLiteral(" → "));
    return text;
}

} // namespace Phaseline
