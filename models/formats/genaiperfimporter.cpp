#include "formats/clientimporters.h"
#include "formats/loadcontrol.h"

#include "formats/clientrows.h"
#include "formats/lenientjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Phaseline {

namespace {

using LenientJson::field;

// What one OpenAI SSE message (`data: {...}`, possibly several events) carried.
struct SseMessage
{
    bool text = false; // output text: choices[0].delta.content (chat) or choices[0].text (completions)
    QString error;     // an error event's message
};

SseMessage readSseMessage(const QString &message)
{
    SseMessage result;
    for (QStringView line : QStringView(message).split(QLatin1Char('\n'))) {
        line = line.trimmed();
        if (!line.startsWith(QLatin1String("data:")))
            continue;
        const QByteArray payload = line.mid(5).trimmed().toUtf8();
        if (payload == "[DONE]")
            continue;
        const QJsonObject event = QJsonDocument::fromJson(payload).object();
        const QJsonObject choice = field(event, "choices").toArray().at(0).toObject();
        if (!field(field(choice, "delta").toObject(), "content").toString().isEmpty() || !field(choice, "text").toString().isEmpty())
            result.text = true;
        const QJsonValue error = field(event, "error");
        if (!error.isUndefined() && !error.isNull())
            result.error = error.isObject() ? field(error.toObject(), "message").toString() : error.toVariant().toString();
    }
    return result;
}

// Whether response `i` carried output text. perf_analyzer's OpenAI client stores each SSE
// message whole; other service kinds have no SSE framing, so every response counts.
SseMessage readResponse(const QJsonArray &outputs, int i, bool openAi)
{
    if (!openAi)
        return SseMessage{true, QString()};
    return readSseMessage(field(outputs.at(i).toObject(), "response").toString());
}

bool sniffGenAiPerf(std::string_view content)
{
    return LenientJson::containsName(LenientJson::topLevelNames(content), "experiments")
           && LenientJson::containsQuoted(content, "response_timestamps");
}

void readGenAiPerf(ClientImportContext &context)
{
    ClientRows &rows = context.rows;
    const QString clock = QStringLiteral("epoch (client wall clock)");
    const QJsonObject root = context.document.values.front().value.toObject();
    const bool openAi = field(root, "service_kind").toString() == QLatin1String("openai");
    const QJsonArray experiments = field(root, "experiments").toArray();
    for (int index = 0; index < experiments.size() && !LoadControl::isCanceled(context.control); ++index) {
        const QJsonObject experiment = experiments.at(index).toObject();
        const QJsonObject setting = field(experiment, "experiment").toObject();
        const QString benchmark = QStringLiteral("%1: %2 %3")
                                      .arg(index + 1)
                                      .arg(field(setting, "mode").toString(), field(setting, "value").toVariant().toString());
        const QJsonArray requests = field(experiment, "requests").toArray();
        for (int i = 0; i < requests.size(); ++i) {
            const QJsonObject request = requests.at(i).toObject();
            const int row = rows.append(experiments.size() > 1 ? QStringLiteral("%1/%2").arg(index + 1).arg(i)
                                                               : QString::number(i),
                                        clock);
            if (experiments.size() > 1)
                rows.setLabel(row, QStringLiteral("benchmark"), benchmark);
            rows.setAttribute(row, QStringLiteral("sequence_id"), LenientJson::number(field(request, "sequence_id")));
            rows.setNanoseconds(row, ClientStamp::Sent, LenientJson::integer(field(request, "timestamp")));

            const QJsonArray stamps = field(request, "response_timestamps").toArray();
            const QJsonArray outputs = field(request, "response_outputs").toArray();
            qint64 firstText = -1, lastText = -1;
            int textResponses = 0;
            QString error;
            for (int k = 0; k < stamps.size(); ++k) {
                const SseMessage message = readResponse(outputs, k, openAi);
                const qint64 stamp = LenientJson::integer(stamps.at(k));
                if (message.text && stamp > 0) {
                    if (firstText < 0)
                        firstText = stamp;
                    lastText = stamp;
                    ++textResponses;
                }
                if (error.isEmpty())
                    error = message.error;
            }
            if (stamps.isEmpty() || !error.isEmpty()) {
                rows.setStatus(row, error.isEmpty() ? QStringLiteral("failed (no response)") : statusFromError(error));
                continue; // its responses (an error event) are no output
            }
            rows.setNanoseconds(row, ClientStamp::ResponseStart, LenientJson::integer(stamps.first()));
            rows.setNanoseconds(row, ClientStamp::FirstToken, firstText);
            rows.setNanoseconds(row, ClientStamp::LastToken, lastText);
            rows.setNanoseconds(row, ClientStamp::End, LenientJson::integer(stamps.last()));
            rows.setAttribute(row, QStringLiteral("output_chunks"), double(textResponses));
        }
    }
}

} // namespace

ClientFormat genAiPerfFormat()
{
    return ClientFormat{QStringLiteral("GenAI-Perf profile_export.json"), &sniffGenAiPerf, &readGenAiPerf};
}

} // namespace Phaseline
