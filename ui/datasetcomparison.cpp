#include "datasetcomparison.h"

#include "core/csvreader.h"
#include "intervalview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

// The statistics to choose from, in the order of DatasetComparison::Column::values.
const char *const kChoices[] = {"median", "mean", "p90", "p99"};

const QString kIntervalKey = QStringLiteral("interval:");

// Names as short as still tells them apart: an interval series is named "<source> {a=1, b=2}", and
// the parts every name shares (the Prometheus URL, job, model) are left out of each.
QStringList distinguishingNames(const QStringList &names)
{
    QVector<QStringList> parts;
    for (const QString &name : names) {
        const int brace = name.indexOf(QStringLiteral(" {"));
        QStringList split{brace < 0 ? name : name.left(brace)};
        if (brace >= 0 && name.endsWith(QLatin1Char('}')))
            split += name.mid(brace + 2, name.size() - brace - 3).split(QStringLiteral(", "));
        parts << split;
    }
    QStringList shortNames;
    for (int i = 0; i < names.size(); ++i) {
        QStringList kept;
        for (const QString &part : parts[i]) {
            if (!std::all_of(parts.begin(), parts.end(), [&part](const QStringList &other) { return other.contains(part); }))
                kept << part;
        }
        shortNames << (kept.isEmpty() ? names[i] : kept.join(QStringLiteral(", ")));
    }
    return shortNames;
}

} // namespace

DatasetComparison::DatasetComparison(QWidget *parent)
    : QWidget(parent), m_job([this](Comparison compared) { adopt(std::move(compared)); })
{
    m_statistic = new QComboBox;
    m_statistic->setObjectName(QStringLiteral("statisticChoice"));
    for (const char *choice : kChoices)
        m_statistic->addItem(tr(choice));
    m_baseline = new QComboBox;
    m_baseline->setObjectName(QStringLiteral("baselineChoice"));
    m_note = new QLabel;
    m_note->setWordWrap(true);
    m_view = new QTableWidget;
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->setAlternatingRowColors(true);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Statistic:")));
    controls->addWidget(m_statistic);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Compared with:")));
    controls->addWidget(m_baseline);
    controls->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);

    connect(m_statistic, qOverload<int>(&QComboBox::currentIndexChanged), this, &DatasetComparison::rebuild);
    connect(m_baseline, qOverload<int>(&QComboBox::currentIndexChanged), this, &DatasetComparison::rebuild);
    rebuild();
}

DatasetComparison::~DatasetComparison() = default;

void DatasetComparison::setTable(std::shared_ptr<const RequestTable> table)
{
    m_table = std::move(table);
    restart();
}

void DatasetComparison::setIntervalSeries(const QVector<IntervalSeries> &series)
{
    m_series = series.size() >= 2 ? series : QVector<IntervalSeries>();
    restart();
}

void DatasetComparison::restart()
{
    m_job.discard(); // a computation for the previous input finishes on it, unseen
    if (m_table || !m_series.isEmpty()) {
        // The comparison shown stays until the new one replaces it: a live update does not blink.
        m_job.start([table = m_table, series = m_series](const JobToken &) { return compare(table, series); });
        if (m_compared.columns.isEmpty())
            rebuild(); // says it is computing
        return;
    }
    m_compared = Comparison();
    rebuild();
}

DatasetComparison::Comparison DatasetComparison::compare(const std::shared_ptr<const RequestTable> &table,
                                                         const QVector<IntervalSeries> &series)
{
    Comparison result;
    const QVector<DatasetStatistics> datasets = table ? computeDatasetStatistics(*table) : QVector<DatasetStatistics>();
    for (const DatasetStatistics &dataset : datasets) {
        Column column{dataset.name, double(dataset.report.requests), false, {}};
        for (const QVector<PhaseStatistics> *list : {&dataset.report.phases, &dataset.report.totals}) {
            for (const PhaseStatistics &stats : *list) {
                if (stats.count > 0 && !column.values.contains(stats.name))
                    column.values.insert(stats.name, {Value{stats.median}, Value{stats.mean}, Value{stats.p90}, Value{stats.p99}});
            }
        }
        result.columns << column;
    }
    if (!datasets.isEmpty()) {
        for (const QVector<PhaseDefinition> *list : {&table->phases().all(), &table->phases().totals()}) {
            for (const PhaseDefinition &phase : *list) {
                const bool recorded = std::any_of(result.columns.begin(), result.columns.end(),
                                                  [&](const Column &c) { return c.values.contains(phase.name); });
                if (recorded)
                    result.rows << Row{phase.name, phase.title, phase.name, false};
            }
        }
    }

    // An interval series over all its intervals: the sum deltas give exact means, the summed
    // bucket deltas estimated quantiles (mergeIntervals).
    QStringList intervalPhases;
    for (const IntervalSeries &one : series) {
        const MetricsInterval all = mergeIntervals(one, 0, int(one.intervals.size()) - 1);
        Column column{one.name, all.requestsFinished, true, {}};
        for (const IntervalPhase &phase : all.phases) {
            if (!(phase.count > 0))
                continue;
            auto quantile = [](const QuantileEstimate &q) {
                return q.valid ? Value{q.value * 1e3, true, q.aboveLastBound()} : Value{std::nan(""), true, false};
            };
            column.values.insert(kIntervalKey + phase.phase,
                                 {quantile(phase.p50), Value{phase.meanSeconds * 1e3}, quantile(phase.p90), quantile(phase.p99)});
            if (!intervalPhases.contains(phase.phase))
                intervalPhases << phase.phase;
        }
        result.columns << column;
    }
    std::stable_sort(intervalPhases.begin(), intervalPhases.end(),
                     [](const QString &a, const QString &b) { return intervalPhaseRank(a) < intervalPhaseRank(b); });
    for (const QString &phase : intervalPhases)
        result.rows << Row{kIntervalKey + phase, phase, phase, true};
    return result;
}

void DatasetComparison::adopt(Comparison compared)
{
    m_compared = std::move(compared);
    const QSignalBlocker blocker(m_baseline);
    const QString previous = m_baseline->currentText();
    m_baseline->clear();
    QStringList names;
    for (const Column &column : m_compared.columns)
        names << column.name;
    m_shortNames = distinguishingNames(names);
    for (int c = 0; c < names.size(); ++c) {
        m_baseline->addItem(m_shortNames[c]);
        m_baseline->setItemData(c, names[c], Qt::ToolTipRole);
    }
    m_baseline->setCurrentIndex(std::max(0, m_baseline->findText(previous))); // a live update keeps the choice
    rebuild();
    Q_EMIT updated();
}

void DatasetComparison::rebuild()
{
    m_view->clear();
    const QVector<Column> &columns = m_compared.columns;
    if (columns.isEmpty()) {
        m_view->setRowCount(0);
        m_view->setColumnCount(0);
        m_note->setText(isUpdating() ? tr("Computing…")
                                     : tr("Open two or more inputs (files or directories), or /metrics scrapes of "
                                          "several instances, to compare them: each input or instance is a dataset."));
        return;
    }
    const int choice = std::max(0, m_statistic->currentIndex());
    const int baseline = std::max(0, m_baseline->currentIndex());
    const bool intervals = std::any_of(columns.begin(), columns.end(), [](const Column &c) { return c.intervals; });
    const bool requests = std::any_of(columns.begin(), columns.end(), [](const Column &c) { return !c.intervals; });
    QString note = tr("%1 of each phase in ms; Δ is each dataset minus %2 (positive: slower).")
                       .arg(tr(kChoices[choice]), m_shortNames[baseline]);
    if (intervals)
        note += QLatin1Char(' ')
                + tr("Interval series: over all their loaded intervals, with the requests that finished in them; "
                     "means are exact (sum deltas), median/p90/p99 marked ~ are estimated from the bucket deltas "
                     "(≥: above the last bucket bound, a lower limit).");
    m_note->setText(note);

    QStringList headers{tr("Phase")};
    for (int c = 0; c < columns.size(); ++c) {
        const Column &column = columns[c];
        headers << (std::isnan(column.requests) ? tr("%1 (requests unknown)").arg(m_shortNames[c])
                                                : tr("%1 (%2 req.)").arg(m_shortNames[c]).arg(column.requests, 0, 'g', 12));
    }
    for (int d = 0; d < columns.size(); ++d) {
        if (d != baseline)
            headers << tr("Δ %1").arg(m_shortNames[d]) << tr("Δ%");
    }
    m_view->setColumnCount(headers.size());
    m_view->setHorizontalHeaderLabels(headers);
    for (int c = 0; c < columns.size(); ++c)
        m_view->horizontalHeaderItem(1 + c)->setToolTip(columns[c].name);
    m_view->setRowCount(m_compared.rows.size());
    auto cell = [](const QString &text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter) {
        auto *item = new QTableWidgetItem(text);
        item->setTextAlignment(alignment);
        return item;
    };
    auto valueOf = [&](const Column &column, const QString &key) -> const Value * {
        const auto found = column.values.constFind(key);
        return found == column.values.cend() || std::isnan((*found)[size_t(choice)].ms) ? nullptr : &(*found)[size_t(choice)];
    };
    auto mark = [](const Value &value) {
        return value.lowerLimit ? QStringLiteral("≥") : value.estimate ? QStringLiteral("~") : QString();
    };
    const QString dash = QStringLiteral("–");
    for (int r = 0; r < m_compared.rows.size(); ++r) {
        const Row &row = m_compared.rows[r];
        // Interval phases next to request phases of the same name say where they come from.
        const QString title = !row.interval ? row.title
                              : requests     ? tr("%1 (/metrics intervals)").arg(IntervalView::phaseTitle(row.title))
                                             : IntervalView::phaseTitle(row.title);
        QTableWidgetItem *phase = cell(title, Qt::AlignLeft | Qt::AlignVCenter);
        phase->setToolTip(row.name);
        m_view->setItem(r, 0, phase);
        const Value *base = valueOf(columns[baseline], row.key);
        int at = 1;
        for (const Column &column : columns) {
            const Value *value = valueOf(column, row.key);
            m_view->setItem(r, at++, cell(value ? mark(*value) + QString::number(value->ms, 'f', 3) : dash));
        }
        for (int d = 0; d < columns.size(); ++d) {
            if (d == baseline)
                continue;
            const Value *value = valueOf(columns[d], row.key);
            if (!value || !base) {
                m_view->setItem(r, at++, cell(dash));
                m_view->setItem(r, at++, cell(dash));
                continue;
            }
            const double delta = value->ms - base->ms;
            const QString estimated = value->estimate || base->estimate ? QStringLiteral("~") : QString();
            QTableWidgetItem *absolute = cell(estimated + QString::asprintf("%+.3f", delta));
            QTableWidgetItem *relative =
                cell(base->ms != 0 ? estimated + QString::asprintf("%+.1f%%", 100.0 * delta / base->ms) : dash);
            const QColor tone = delta > 0 ? QColor(0xC0, 0x39, 0x2B) : delta < 0 ? QColor(0x1E, 0x84, 0x49) : QColor();
            if (tone.isValid()) {
                absolute->setForeground(tone);
                relative->setForeground(tone);
            }
            m_view->setItem(r, at++, absolute);
            m_view->setItem(r, at++, relative);
        }
    }
    m_view->resizeColumnsToContents();
}

QByteArray DatasetComparison::toCsv() const
{
    QString out;
    QStringList header;
    for (int c = 0; c < m_view->columnCount(); ++c)
        header << csvField(m_view->horizontalHeaderItem(c)->text(), CsvQuoting::Always);
    out += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < m_view->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < m_view->columnCount(); ++c)
            row << csvField(m_view->item(r, c) ? m_view->item(r, c)->text() : QString(), CsvQuoting::Always);
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace Phaseline
