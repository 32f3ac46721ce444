#pragma once

// Metrics session files (docs/metrics-intervals.md): what a live /metrics or Prometheus-server
// source received, one JSON line per response, kept as received so a reopened session gives the
// same intervals.
//   {"scrape_time_ms": T, "source": URL, "text": "<the /metrics body>"}
//   {"query_time_ms": T, "source": "prom+http://...", "query": "...", "response": "<the query_range body>"}

#include "formats/formatimporter.h"
#include "analysis/metricsintervals.h"

#include <QMap>

namespace Phaseline {

QByteArray metricsScrapeLine(qint64 timeMs, const QString &source, const QByteArray &text);
QByteArray prometheusQueryLine(qint64 timeMs, const QString &source, const QString &query, const QByteArray &response);

// A /metrics body as a scrape; false (with `problem`) when it holds no histogram. Parse warnings
// go to `issues`, named `source` and prefixed with the scrape's time.
bool scrapeFromText(const QByteArray &text, qint64 timeMs, const QString &source, MetricsScrape *scrape,
                    QVector<LoadIssue> *issues, QString *problem);

// The PromQL of the histogram series every phase is read from, with the user's label matchers
// ('{job="vllm"}' or 'job="vllm"') added; empty (with `problem`) when they cannot be.
QString prometheusRangeQuery(const QString &match, QString *problem);

// A /api/v1/query_range answer as one scrape per evaluation step, keyed by its time (each
// histogram keeps its labels: instance, job, model_name...). False, with `problem`, when the body
// is not a successful matrix answer (Prometheus's own error is quoted).
bool scrapesFromQueryRange(const QByteArray &response, const QString &source, QMap<qint64, MetricsScrape> *steps,
                           QVector<LoadIssue> *issues, QString *problem);

// Reads metrics session files into interval series (one per source and label set).
class MetricsSessionImporter : public FormatImporter
{
public:
    QString formatName() const override;
    bool sniff(std::string_view content) const override;
    FileImport import(MappedFile &file, const QString &inputName, LoadControl *control) const override;
};

// Scrapes of every source of a session: /metrics scrapes by source URL, Prometheus steps by
// query source (a later answer replaces the steps it covers again).
struct MetricsSessionData
{
    QMap<QString, QVector<MetricsScrape>> scrapes;
    QMap<QString, QMap<qint64, MetricsScrape>> steps;

    bool isEmpty() const { return scrapes.isEmpty() && steps.isEmpty(); }
    QVector<IntervalSeries> intervalSeries() const;
};

} // namespace Phaseline
