#include "statisticspanel.h"

#include "analysis/axisstep.h"
#include "distributionsview.h"
#include "intervalrangeview.h"
#include "phasecolors.h"

#include <QAbstractTableModel>
#include <QCheckBox>
#include <QCoreApplication>
#include <QCursor>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>

namespace Phaseline {

namespace {

constexpr int kMaxBins = 60;
// About one point per pixel: a QLineSeries repaint costs ~0.17 s at 1M points (docs/design.md §3.4).
constexpr int kMaxCdfPoints = 1000;

QColor colorOf(const PhaseDefinition &phase)
{
    return PhaseColors::instance().color(phase);
}

QString titleOf(const PhaseDefinition &phase)
{
    return phase.title.isEmpty() ? phase.name : phase.title;
}

QString formatMs(double ms)
{
    return QString::number(ms, 'f', 3);
}

// At least four significant digits and never more than three decimals: legends and titles
// beside a plot, where "median 42503.207 ms" would crowd the plot out. The table keeps three decimals.
QString formatMsShort(double ms)
{
    const int digits = std::abs(ms) >= 1 ? int(std::floor(std::log10(std::abs(ms)))) + 1 : 1;
    return QString::number(ms, 'f', std::clamp(4 - digits, 0, 3));
}

// One row of the table: a catalogue phase or a whole-request total.
struct Entry
{
    PhaseDefinition definition;
    bool total = false;
};

// The phases and totals the data can have: those whose stamps it recorded somewhere. The
// rows stay put while the subset changes, and a phase the subset lacks shows '-'.
QVector<Entry> entriesOf(const RequestTable &table)
{
    auto allocated = [&table](const QString &stamp) {
        const int column = table.stampIndex(stamp);
        return column >= 0 && table.stampColumn(column).isAllocated();
    };
    auto recordable = [&allocated](const PhaseDefinition &definition) {
        return std::any_of(definition.spans.cbegin(), definition.spans.cend(), [&allocated](const PhaseSpan &span) {
            return allocated(span.startStamp) && allocated(span.endStamp);
        });
    };
    QVector<Entry> entries;
    for (const PhaseDefinition &phase : table.phases().all()) {
        if (recordable(phase))
            entries.append({phase, false});
    }
    for (const PhaseDefinition &total : table.phases().totals()) {
        if (recordable(total))
            entries.append({total, true});
    }
    return entries;
}

const PhaseStatistics *findStatistics(const StatisticsReport &report, const Entry &entry)
{
    const QVector<PhaseStatistics> &list = entry.total ? report.totals : report.phases;
    for (const PhaseStatistics &statistics : list) {
        if (statistics.name == entry.definition.name)
            return &statistics;
    }
    return nullptr;
}

// One computation, self-contained so that it can run on a worker thread.
struct Job
{
    std::shared_ptr<const RequestTable> table;
    std::shared_ptr<const std::vector<int>> rows;
    QVector<Entry> entries;
    int subject = -1; // entry to plot; -1 = the phase with the largest median
    bool withReport = true;
};

struct Result
{
    bool hasReport = false;
    StatisticsReport report;
    int subject = -1;
    PhaseDistribution distribution;
};

int largestMedian(const QVector<Entry> &entries, const StatisticsReport &report)
{
    int best = -1;
    for (int row = 0; row < entries.size(); ++row) {
        const PhaseStatistics *statistics = entries[row].total ? nullptr : findStatistics(report, entries[row]);
        if (statistics && statistics->count > 0
            && (best < 0 || statistics->median > findStatistics(report, entries[best])->median))
            best = row;
    }
    return best;
}

Result compute(const Job &job, const JobToken *token)
{
    Result result;
    if (job.withReport) {
        result.hasReport = true;
        result.report = computeStatistics(*job.table, job.rows.get());
    }
    if (token && token->isCanceled())
        return result; // superseded: the distribution would be dropped with it
    result.subject = job.subject >= 0 ? job.subject : largestMedian(job.entries, result.report);
    if (result.subject >= 0)
        result.distribution = distributionOf(*job.table, job.rows.get(), job.entries.at(result.subject).definition,
                                             kMaxBins, kMaxCdfPoints);
    return result;
}

class StatisticsModel : public QAbstractTableModel
{
public:
    enum Column {
        PhaseColumn, CountColumn, MeanColumn, MedianColumn, P90Column, P99Column,
        MinColumn, MaxColumn, MissingColumn, AnomaliesColumn, ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setEntries(QVector<Entry> entries)
    {
        beginResetModel();
        m_entries = std::move(entries);
        m_statistics = QVector<PhaseStatistics>(m_entries.size());
        endResetModel();
    }

    // Numbers only: the rows stay, and with them the selected phase.
    void setReport(const StatisticsReport &report)
    {
        for (int row = 0; row < m_entries.size(); ++row) {
            const PhaseStatistics *found = findStatistics(report, m_entries[row]);
            PhaseStatistics statistics = found ? *found : PhaseStatistics();
            if (!found) // the report leaves out what nobody in the subset recorded
                statistics.missing = report.requests;
            m_statistics[row] = statistics;
        }
        if (!m_entries.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }

    const QVector<Entry> &entries() const { return m_entries; }
    const PhaseStatistics &statisticsAt(int row) const { return m_statistics.at(row); }

    bool isFirstTotal(int row) const
    {
        return row > 0 && m_entries.at(row).total && !m_entries.at(row - 1).total;
    }

    // The phases of the median summary bar: recorded ones, where a parent gives way to its
    // children when they are recorded (they tile it, so drawing both would count it twice).
    QVector<int> stackedRows() const
    {
        auto recorded = [this](const QString &name) {
            for (int row = 0; row < m_entries.size(); ++row) {
                if (!m_entries[row].total && m_entries[row].definition.name == name)
                    return m_statistics[row].count > 0;
            }
            return false;
        };
        auto parentOf = [this](const QString &name) -> const PhaseDefinition * {
            for (const Entry &entry : m_entries) {
                if (!entry.total && entry.definition.children.contains(name))
                    return &entry.definition;
            }
            return nullptr;
        };
        // A parent or its children, never both: as PhaseCatalog::childrenReplaceParent decides
        // from what the scope recorded.
        QVector<int> rows;
        for (int row = 0; row < m_entries.size(); ++row) {
            const PhaseDefinition &phase = m_entries[row].definition;
            if (m_entries[row].total || m_statistics[row].count == 0
                || PhaseCatalog::childrenReplaceParent(phase.children, recorded))
                continue;
            const PhaseDefinition *parent = parentOf(phase.name);
            if (!parent || PhaseCatalog::childrenReplaceParent(parent->children, recorded))
                rows.append(row);
        }
        return rows;
    }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : int(m_entries.size());
    }

    int columnCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid))
            return QVariant();
        const Entry &entry = m_entries.at(index.row());
        switch (role) {
        case Qt::DisplayRole:
            return text(entry, m_statistics.at(index.row()), index.column());
        case Qt::DecorationRole:
            return index.column() == PhaseColumn ? QVariant(colorOf(entry.definition)) : QVariant();
        case Qt::ToolTipRole:
            return index.column() == PhaseColumn ? QVariant(measuredToolTip(entry, m_statistics.at(index.row())))
                                                 : QVariant();
        case Qt::TextAlignmentRole:
            return int(Qt::AlignVCenter | (index.column() == PhaseColumn ? Qt::AlignLeft : Qt::AlignRight));
        case Qt::FontRole:
            if (entry.total) {
                QFont font;
                font.setBold(true);
                return font;
            }
            return QVariant();
        default:
            return QVariant();
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
            return int(Qt::AlignVCenter | (section == PhaseColumn ? Qt::AlignLeft : Qt::AlignRight));
        if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
            return QAbstractTableModel::headerData(section, orientation, role);
        // Short titles so that every column fits beside the plots at 1280 pixels; the
        // tooltip says what the column holds and in which unit.
        static const char *const titles[ColumnCount][2] = {
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Phase"),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Phase or whole-request total")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Count"),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Requests that recorded it")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Mean"), QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Mean (ms)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Median"),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Median (ms)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "p90"),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "90th percentile (ms)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "p99"),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "99th percentile (ms)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Min"), QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Minimum (ms)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Max"), QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Maximum (ms)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Missing"),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Requests that did not record it (missing is not zero)")},
            {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Anom."),
             QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "Anomalies: end before start, excluded from the numbers")},
        };
        return StatisticsPanel::tr(titles[section][role == Qt::ToolTipRole ? 1 : 0]);
    }

private:
    // The phase's meaning, and what measured it in the data shown (side, events, clock).
    // The cell may be elided: the tooltip names the phase in full, its meaning and what measured it here.
    static QString measuredToolTip(const Entry &entry, const PhaseStatistics &statistics)
    {
        QString tip = QStringLiteral("<b>%1</b><br>%2").arg(titleOf(entry.definition).toHtmlEscaped(),
                                                             entry.definition.description.toHtmlEscaped());
        if (!statistics.measured.isEmpty())
            tip += QStringLiteral("<br>") + StatisticsPanel::tr("Measured here: %1").arg(statistics.measured).toHtmlEscaped();
        return tip;
    }

    static QString text(const Entry &entry, const PhaseStatistics &statistics, int column)
    {
        switch (column) {
        case PhaseColumn: return titleOf(entry.definition);
        case CountColumn: return QString::number(statistics.count);
        case MissingColumn: return QString::number(statistics.missing);
        case AnomaliesColumn: return QString::number(statistics.anomalies);
        default: break;
        }
        // Nothing recorded has no duration, and 0 ms would claim one (docs/phase-model.md §2).
        if (statistics.count == 0)
            return QStringLiteral("-");
        const double values[] = {statistics.mean, statistics.median, statistics.p90,
                                 statistics.p99,  statistics.min,    statistics.max};
        return formatMs(values[column - MeanColumn]);
    }

    QVector<Entry> m_entries;
    QVector<PhaseStatistics> m_statistics; // one per entry
};

// Draws a rule above the first total, so the totals read as a block of their own.
class TotalsRuleDelegate : public QStyledItemDelegate
{
public:
    TotalsRuleDelegate(const StatisticsModel *model, QObject *parent) : QStyledItemDelegate(parent), m_model(model) {}

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        if (!m_model->isFirstTotal(index.row()))
            return;
        painter->save();
        painter->setPen(QPen(option.palette.color(QPalette::WindowText), 2));
        painter->drawLine(option.rect.topLeft(), option.rect.topRight());
        painter->restore();
    }

private:
    const StatisticsModel *m_model;
};

// A legend that never elides: swatch (or line sample) and text of every item, wrapped into
// rows, and never narrower than its widest item. The summary bar's phases
// and the distribution's median/p90/p99 lines: Qt Charts' attached legend keeps one row and
// elides labels into unreadable stubs where room is short.
class PhaseLegend : public QWidget
{
public:
    struct Item
    {
        QColor color;
        QString text;
        Qt::PenStyle line = Qt::NoPen; // a line sample in this style instead of a square swatch
    };

    explicit PhaseLegend(QWidget *parent) : QWidget(parent)
    {
        QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
        policy.setHeightForWidth(true);
        setSizePolicy(policy);
    }

    void setItems(QVector<Item> items, const QColor &text, const QBrush &background)
    {
        m_items = std::move(items);
        m_text = text;
        m_background = background;
        updateGeometry();
        update();
    }

    bool hasHeightForWidth() const override { return true; }

    int heightForWidth(int width) const override
    {
        const QVector<QRect> boxes = place(width);
        return boxes.isEmpty() ? 0 : boxes.last().bottom() + kMargin;
    }
    QSize sizeHint() const override { return QSize(400, heightForWidth(400)); }
    QSize minimumSizeHint() const override
    {
        int widest = 0;
        for (const Item &item : m_items)
            widest = std::max(widest, itemWidth(item));
        return QSize(widest + 2 * kMargin, heightForWidth(widest + 2 * kMargin));
    }

    // Also the export's way in: it paints at the legend's place in the export's layout.
    void paint(QPainter &painter, const QRect &area) const
    {
        painter.save();
        painter.fillRect(area, m_background);
        painter.setFont(font());
        painter.setPen(m_text);
        const int swatch = swatchSize();
        const QVector<QRect> boxes = place(area.width());
        for (int i = 0; i < boxes.size(); ++i) {
            const QRect box = boxes[i].translated(area.topLeft());
            const Item &item = m_items[i];
            if (item.line == Qt::NoPen) {
                painter.fillRect(QRect(box.left(), box.center().y() - swatch / 2, swatch, swatch), item.color);
            } else {
                painter.save();
                painter.setPen(QPen(item.color, 1.5, item.line));
                painter.drawLine(box.left(), box.center().y(), box.left() + sampleWidth(item), box.center().y());
                painter.restore();
            }
            painter.drawText(box.adjusted(sampleWidth(item) + kGap, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, item.text);
        }
        painter.restore();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        paint(painter, rect());
    }

private:
    static constexpr int kMargin = 6;
    static constexpr int kGap = 5;
    static constexpr int kSpacing = 16;

    int swatchSize() const { return fontMetrics().ascent(); }
    // Long enough for a dotted line to read as dotted.
    int sampleWidth(const Item &item) const { return item.line == Qt::NoPen ? swatchSize() : 2 * swatchSize(); }
    int itemWidth(const Item &item) const { return sampleWidth(item) + kGap + fontMetrics().horizontalAdvance(item.text); }

    // Each item's box (swatch and text) when wrapped at `width`.
    QVector<QRect> place(int width) const
    {
        const int lineHeight = fontMetrics().height() + 4;
        QVector<QRect> boxes;
        QPoint at(kMargin, kMargin);
        for (const Item &item : m_items) {
            const int itemWidth = this->itemWidth(item);
            if (at.x() > kMargin && at.x() + itemWidth > width - kMargin)
                at = QPoint(kMargin, at.y() + lineHeight);
            boxes.append(QRect(at, QSize(itemWidth, lineHeight)));
            at.rx() += itemWidth + kSpacing;
        }
        return boxes;
    }

    QVector<Item> m_items;
    QColor m_text;
    QBrush m_background;
};

QChart *newChart(const QPalette &palette)
{
    auto *chart = new QChart;
    chart->setTheme(palette.color(QPalette::Window).lightness() < 128 ? QChart::ChartThemeDark
                                                                       : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation); // never animate big data (docs/design.md §3.4)
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 8, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    QFont title = chart->titleFont();
    title.setBold(true);
    chart->setTitleFont(title);
    return chart;
}

QValueAxis *newValueAxis(const QString &title)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setMinorTickCount(0);
    return axis;
}

// Qt Charts gives every tick label an equal share of the axis (minus its padding and the text
// item's margins) and elides a label that does not fit into "…". This is that room, per label.
constexpr double kLabelRoom = 2 * 4 + 8 + 4; // padding both sides, text margins, slack
constexpr double kLabelRoomVertical = 2 * 4 + 4; // a line of text needs no side margins
constexpr int kMostTicks = 10;

QString labelOf(const QValueAxis *axis, double value)
{
    return QString::asprintf(axis->labelFormat().toLatin1().constData(), value);
}

// Ticks at every multiple of `step` in [low, high] (the axes anchor their ticks at 0).
int tickCount(double low, double high, double step)
{
    const double first = std::ceil(low / step - 1e-9) * step;
    return std::max(0, int(std::floor((high - first) / step + 1e-9)) + 1);
}

// The roundest tick step, from `minimumStep` up, whose labels on [low, high] all fit whole
// along `pixels` of the axis; with `extendTop` the axis ends at the first tick above `high`.
double fittingStep(const QValueAxis *axis, double low, double high, double pixels, double minimumStep, bool extendTop)
{
    const QFontMetricsF metrics(axis->labelsFont());
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    double step = std::max(minimumStep, niceCeiling((high - low) / kMostTicks));
    for (;;) {
        const double top = extendTop ? std::max(step, std::ceil(high / step - 1e-9) * step) : high;
        const int ticks = tickCount(low, top, step);
        double extent = metrics.height();
        for (int i = 0; horizontal && i < ticks; ++i)
            extent = std::max(extent, metrics.horizontalAdvance(labelOf(axis, std::ceil(low / step - 1e-9) * step + i * step)));
        const bool whole = minimumStep < 1 || step == std::floor(step); // counts step by whole numbers
        if (whole && (ticks <= 2 || (extent + (horizontal ? kLabelRoom : kLabelRoomVertical)) * ticks <= pixels))
            return step;
        step = niceCeiling(step * 1.01); // the next of 1, 2, 2.5, 5 × 10^k
    }
}

// The plot area's extent along `axis`, or an estimate from the view before the first layout.
double axisPixels(const QChart *chart, const QValueAxis *axis, const QSize &view)
{
    const QRectF area = chart->plotArea();
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    if (area.width() > 1 && area.height() > 1)
        return horizontal ? area.width() : area.height();
    return (horizontal ? view.width() : view.height()) * 0.6;
}

// An axis lays out a label item per tick as soon as its range or interval changes: the coarser
// interval goes first, so that no moment has a narrow step over a wide range (millions of items).
void setTicks(QValueAxis *axis, double low, double high, double step)
{
    if (axis->min() == low && axis->max() == high && axis->tickInterval() == step)
        return; // unchanged: no relayout, no new plot area to fit again
    axis->setTickInterval(std::max(step, axis->tickInterval()));
    axis->setRange(low, high);
    axis->setTickInterval(step);
}

// An axis from 0 to at least `maximum` with a tick every nice step that leaves its labels whole.
// It ends on a tick unless that would waste more than a fifth of a short plot.
struct NiceRange
{
    double step = 1;
    double top = 1;

    NiceRange(double maximum, double minimumStep, const QValueAxis *axis, double pixels)
        : step(fittingStep(axis, 0, maximum > 0 ? maximum : 1, pixels, minimumStep, true)),
          top(std::max(step, std::ceil(maximum / step - 1e-9) * step))
    {
        if (maximum > step && top > 1.25 * maximum)
            top = maximum;
    }

    void applyTo(QValueAxis *axis) const { setTicks(axis, 0, top, step); }
};

const QString kSplitterKey = QStringLiteral("statistics/splitter");

// Calls back whenever the watched widget is resized, before the widget handles it.
class ResizeFilter : public QObject
{
public:
    explicit ResizeFilter(std::function<void(const QSize &)> resized) : m_resized(std::move(resized)) {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Resize)
            m_resized(static_cast<QWidget *>(watched)->size());
        return false;
    }

private:
    std::function<void(const QSize &)> m_resized;
};

void showToolTip(bool show, const QString &text)
{
    if (show)
        QToolTip::showText(QCursor::pos(), text);
    else
        QToolTip::hideText();
}

} // namespace

class StatisticsPanel::Private
{
public:
    explicit Private(StatisticsPanel *panel);

    void schedule();
    void apply(Result result);
    void clear();
    void showDistribution();
    void showSummary();
    void selectSubject(int row);
    void updateScopeLabel();
    void renderPlots(QPainter &painter, const QRect &target);
    void arrangePlots(const QSize &size);
    void fitDistributionTicks();
    void fitSummaryTicks();
    void fitUntilSettled(const std::function<void()> &fit);
    void fitDistributionOnce();
    void fitTableWidth();
    void defaultSplit(int width);

    StatisticsPanel *const q;
    std::shared_ptr<const RequestTable> table;
    std::shared_ptr<const std::vector<int>> rows;
    QString scope;
    StatisticsReport report;
    PhaseDistribution distribution;
    int subject = -1;
    bool needReport = false;
    double countTop = 1;       // the highest the distribution's y axis must reach
    double countMinimumStep = 1;
    double medianTotal = 0;    // the median stack's length
    bool fitting = false;      // ticks being fitted to the plot area
    bool fitAgain = false;     // the plot area moved while they were

    StatisticsModel *model = nullptr;
    QLabel *scopeLabel = nullptr;
    QTableView *tableView = nullptr;
    QCheckBox *cdfToggle = nullptr;
    QWidget *plots = nullptr;
    QBoxLayout *plotsLayout = nullptr;
    bool arranged = false;
    bool plotsStacked = false; // the median stack under the distribution, not beside it
    QWidget *summaryPane = nullptr;
    QSplitter *splitter = nullptr;
    std::unique_ptr<QObject> arrangeOnResize;
    std::unique_ptr<QObject> splitOnResize;
    bool userSplit = false; // the divider was placed by the user (now or in an earlier session)
    int tableWanted = 0;    // every column at its contents
    QChartView *distributionView = nullptr;
    QChartView *summaryView = nullptr;
    PhaseLegend *legend = nullptr;
    QWidget *distributionPane = nullptr; // the distribution under its marker legend
    QBoxLayout *distributionLayout = nullptr;
    QStringList distributionTitles; // the longest that fits is shown
    PhaseLegend *markerLegend = nullptr;
    QTabWidget *tabs = nullptr;
    DistributionsView *distributions = nullptr;
    IntervalRangeView *intervalRange = nullptr;
    QValueAxis *msAxis = nullptr;
    QValueAxis *binAxis = nullptr; // bar index; hidden, spans exactly what msAxis shows
    QValueAxis *yAxis = nullptr;
    QValueAxis *summaryAxis = nullptr;
    QBarCategoryAxis *summaryCategory = nullptr;
    // Only the newest request's result is applied (see JobTracker).
    JobTracker<Result> job{[this](Result result) {
        apply(std::move(result));
        updateScopeLabel();
    }};
    // Context of every connection into this object, so that none outlives it (the widgets
    // emit while ~QWidget deletes them, after this object is gone).
    QObject guard;
};

StatisticsPanel::Private::Private(StatisticsPanel *panel) : q(panel)
{
    scopeLabel = new QLabel(q);
    scopeLabel->setObjectName(QStringLiteral("scopeLabel"));
    QFont bold = scopeLabel->font();
    bold.setBold(true);
    scopeLabel->setFont(bold);

    model = new StatisticsModel(q);
    tableView = new QTableView;
    tableView->setObjectName(QStringLiteral("statisticsTable"));
    tableView->setModel(model);
    tableView->setItemDelegate(new TotalsRuleDelegate(model, tableView));
    tableView->setSelectionBehavior(QAbstractItemView::SelectRows);
    tableView->setSelectionMode(QAbstractItemView::SingleSelection);
    tableView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    tableView->setWordWrap(false);
    // Asks for the width of every column at its contents: the splitter gives it that first.
    tableView->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    tableView->setShowGrid(false);
    tableView->setAlternatingRowColors(true);
    tableView->verticalHeader()->hide();
    tableView->verticalHeader()->setDefaultSectionSize(tableView->fontMetrics().height() + 6);
    // The numbers keep their width; the phase names take what is left and elide in the middle
    // (the tooltip has them in full), so the table never scrolls sideways and names that share
    // a start ("Generation Queue", "Generation KV Transfer") stay apart.
    QHeaderView *header = tableView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StatisticsModel::PhaseColumn, QHeaderView::Stretch);
    header->setMinimumSectionSize(3 * tableView->fontMetrics().averageCharWidth());
    tableView->setTextElideMode(Qt::ElideMiddle);
    tableView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // The plots: distribution over the summary bar over its legend. No rubber band: its
    // press handler crashes in 6.4.2 (QTBUG-118669) and zooming a histogram buys little.
    plots = new QWidget;
    plots->setObjectName(QStringLiteral("statisticsPlots"));
    QChart *chart = newChart(q->palette());
    chart->legend()->hide(); // markerLegend instead
    msAxis = newValueAxis(tr("ms"));
    binAxis = new QValueAxis;
    binAxis->setVisible(false);
    yAxis = newValueAxis(QString());
    chart->addAxis(msAxis, Qt::AlignBottom);
    chart->addAxis(binAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    distributionView = new QChartView(chart);
    distributionView->setObjectName(QStringLiteral("distributionChart"));
    distributionView->setRenderHint(QPainter::Antialiasing);
    // Below this the axis labels collide; the panel arranges the plots to stay above it.
    distributionView->setMinimumHeight(8 * distributionView->fontMetrics().height());
    // Room for two tick labels and the marker legend when the divider is dragged all the way.
    distributionView->setMinimumWidth(44 * distributionView->fontMetrics().averageCharWidth());
    QObject::connect(chart, &QChart::plotAreaChanged, &guard, [this] { fitDistributionTicks(); });
    distributionPane = new QWidget(plots);
    markerLegend = new PhaseLegend(distributionPane);
    markerLegend->setObjectName(QStringLiteral("markerLegend"));
    distributionLayout = new QBoxLayout(QBoxLayout::TopToBottom, distributionPane);
    distributionLayout->setContentsMargins(0, 0, 0, 0);
    distributionLayout->setSpacing(0);
    distributionLayout->addWidget(markerLegend);
    distributionLayout->addWidget(distributionView, 1);

    QChart *summary = newChart(q->palette());
    summary->setTitle(tr("Median per phase, stacked (ms)"));
    summary->legend()->hide();
    summaryAxis = newValueAxis(QString()); // an axis title would squeeze the tick labels into "..."
    summaryCategory = new QBarCategoryAxis;
    summaryCategory->append(tr("median"));
    summaryCategory->setVisible(false);
    summary->addAxis(summaryAxis, Qt::AlignBottom);
    summary->addAxis(summaryCategory, Qt::AlignLeft);
    summaryView = new QChartView(summary);
    summaryView->setObjectName(QStringLiteral("summaryChart"));
    QObject::connect(summary, &QChart::plotAreaChanged, &guard, [this] { fitSummaryTicks(); });
    // The median stack and its legend go below the distribution, or beside it as a narrow
    // column when the pane is short (the lower pane of the window): see arrangePlots().
    summaryPane = new QWidget(plots);
    legend = new PhaseLegend(summaryPane);
    legend->setObjectName(QStringLiteral("summaryLegend"));
    auto *summaryLayout = new QVBoxLayout(summaryPane);
    summaryLayout->setContentsMargins(0, 0, 0, 0);
    summaryLayout->setSpacing(0);
    summaryLayout->addWidget(summaryView);
    summaryLayout->addWidget(legend, 1);

    plotsLayout = new QBoxLayout(QBoxLayout::TopToBottom, plots);
    plotsLayout->setContentsMargins(0, 0, 0, 0);
    plotsLayout->setSpacing(0);
    plotsLayout->addWidget(distributionPane, 1);
    plotsLayout->addWidget(summaryPane, 0);
    plots->installEventFilter(&guard);
    arrangeOnResize = std::make_unique<ResizeFilter>([this](const QSize &size) { arrangePlots(size); });
    plots->installEventFilter(arrangeOnResize.get());
    arrangePlots(plots->size());

    // On the scope's line, which has room to spare: every pixel of height goes to the plots.
    cdfToggle = new QCheckBox(tr("Cumulative (CDF)"));
    cdfToggle->setObjectName(QStringLiteral("cdfToggle"));
    auto *hint = new QLabel(tr("Select a phase in the table to plot its distribution."));
    hint->setEnabled(false);
    hint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // elided rather than widening the pane
    auto *scopeLine = new QHBoxLayout;
    scopeLine->addWidget(scopeLabel);
    scopeLine->addWidget(hint, 1);
    scopeLine->addWidget(cdfToggle);
    // Set, so that the stacked arrangement's minimum does not push the window's own
    // splitter: a short pane arranges the plots side by side instead (arrangePlots()).
    plots->setMinimumHeight(8 * plots->fontMetrics().height());

    // Table beside the plots: both stay readable in the lower half of the window. Where
    // the user puts the divider is remembered.
    splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("statisticsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(tableView);
    splitter->addWidget(plots);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    userSplit = splitter->restoreState(QSettings().value(kSplitterKey).toByteArray());
    QObject::connect(splitter, &QSplitter::splitterMoved, &guard, [this] {
        userSplit = true;
        QSettings().setValue(kSplitterKey, splitter->saveState());
    });
    splitOnResize = std::make_unique<ResizeFilter>([this](const QSize &size) { defaultSplit(size.width()); });
    splitter->installEventFilter(splitOnResize.get());

    auto *requestsPage = new QWidget;
    auto *requestsLayout = new QVBoxLayout(requestsPage);
    requestsLayout->setContentsMargins(0, 0, 0, 0);
    requestsLayout->addLayout(scopeLine);
    requestsLayout->addWidget(splitter, 1);
    // Aggregate server histograms get their own tab; without any, the tab bar is hidden.
    distributions = new DistributionsView;
    distributions->setObjectName(QStringLiteral("distributionsView"));
    tabs = new QTabWidget;
    tabs->setDocumentMode(true);
    tabs->addTab(requestsPage, tr("Requests"));
    tabs->addTab(distributions, tr("Server histograms"));
    tabs->setTabVisible(1, false);
    intervalRange = new IntervalRangeView;
    intervalRange->setObjectName(QStringLiteral("intervalRangeView"));
    tabs->addTab(intervalRange, tr("Interval range"));
    tabs->setTabVisible(2, false);
    tabs->tabBar()->hide();
    auto *layout = new QVBoxLayout(q);
    layout->addWidget(tabs);

    QObject::connect(tableView->selectionModel(), &QItemSelectionModel::currentRowChanged, &guard,
                     [this](const QModelIndex &current) {
                         if (!current.isValid() || current.row() == subject)
                             return;
                         subject = current.row();
                         schedule();
                     });
    QObject::connect(cdfToggle, &QCheckBox::toggled, &guard, [this] { showDistribution(); });
    QObject::connect(&PhaseColors::instance(), &PhaseColors::changed, &guard, [this] {
        model->setReport(report);
        showSummary();
        showDistribution();
    });
    updateScopeLabel();
}

void StatisticsPanel::Private::schedule()
{
    if (!table) {
        job.discard();
    } else {
        const size_t size = rows ? rows->size() : size_t(table->size());
        Job request{table, rows, model->entries(), subject, needReport};
        if (size <= size_t(kBackgroundRows)) {
            job.discard(); // whatever is running is stale now
            apply(compute(request, nullptr));
        } else {
            job.start([request](const JobToken &token) { return compute(request, &token); });
        }
    }
    updateScopeLabel();
}

void StatisticsPanel::Private::apply(Result result)
{
    if (result.hasReport) {
        report = std::move(result.report);
        needReport = false;
        model->setReport(report);
        fitTableWidth();
        showSummary();
        arrangePlots(plots->size()); // the legend's height is part of the choice
    }
    subject = result.subject;
    distribution = std::move(result.distribution);
    showDistribution();
    if (subject >= 0) {
        tableView->selectionModel()->setCurrentIndex(model->index(subject, 0), QItemSelectionModel::ClearAndSelect
                                                                                    | QItemSelectionModel::Rows);
    }
    Q_EMIT q->statisticsUpdated();
}

void StatisticsPanel::Private::clear()
{
    report = StatisticsReport();
    distribution = PhaseDistribution();
    showSummary();
    arrangePlots(plots->size());
    showDistribution();
}

void StatisticsPanel::Private::showDistribution()
{
    QChart *chart = distributionView->chart();
    chart->removeAllSeries();
    markerLegend->setItems({}, msAxis->labelsColor(), chart->backgroundBrush());
    const bool hasData = subject >= 0 && distribution.count > 0;
    msAxis->setVisible(hasData);
    yAxis->setVisible(hasData);
    if (subject < 0) {
        chart->setTitle(QString());
        return;
    }
    const QString title = titleOf(model->entries().at(subject).definition);
    if (!hasData) {
        chart->setTitle(tr("%1: not recorded by any request in scope").arg(title));
        return;
    }
    const PhaseDistribution &data = distribution;
    const bool cdf = cdfToggle->isChecked();
    distributionTitles = {(cdf ? tr("%1 (ms): cumulative distribution of %2 requests") : tr("%1 (ms): histogram of %2 requests"))
                              .arg(title)
                              .arg(data.count),
                          tr("%1 (ms), %2 requests").arg(title).arg(data.count), tr("%1 (ms)").arg(title)};
    const QColor color = colorOf(model->entries().at(subject).definition);
    const Histogram &histogram = data.histogram;

    double peak = 100;
    if (cdf) {
        auto *curve = new QLineSeries;
        curve->setName(title);
        curve->setPen(QPen(color, 2));
        curve->append(data.cdf);
        chart->addSeries(curve);
        curve->attachAxis(msAxis);
        curve->attachAxis(yAxis);
        yAxis->setTitleText(tr("% of requests"));
        yAxis->setLabelFormat(QStringLiteral("%.0f%%"));
    } else {
        auto *set = new QBarSet(title);
        set->setColor(color);
        set->setPen(Qt::NoPen); // a pen hides narrow bars under their own outlines (docs/design.md §3.4)
        for (qint64 count : histogram.bins)
            set->append(double(count));
        auto *bars = new QBarSeries;
        bars->setBarWidth(0.9);
        bars->append(set);
        chart->addSeries(bars);
        bars->attachAxis(binAxis);
        bars->attachAxis(yAxis);
        QObject::connect(set, &QBarSet::hovered, set, [histogram](bool status, int index) {
            showToolTip(status, tr("%1 to %2 ms: %3 requests")
                                    .arg(formatMs(histogram.edge(index)), formatMs(histogram.edge(index + 1)))
                                    .arg(histogram.bins.at(index)));
        });
        peak = double(*std::max_element(histogram.bins.cbegin(), histogram.bins.cend()));
        yAxis->setTitleText(tr("requests"));
        yAxis->setLabelFormat(QStringLiteral("%.0f"));
    }

    const struct
    {
        const char *name;
        double value;
        Qt::PenStyle style;
    } markers[] = {{QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "median"), data.median, Qt::SolidLine},
                   {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "p90"), data.p90, Qt::DashLine},
                   {QT_TRANSLATE_NOOP("Phaseline::StatisticsPanel", "p99"), data.p99, Qt::DotLine}};
    const QColor markerColor = msAxis->labelsColor();
    // Whole requests with headroom above the highest bar; 20 % steps up to exactly 100 %.
    countTop = cdf ? peak : peak * 1.1;
    countMinimumStep = cdf ? 20 : 1;
    // Up to any top the fitted ticks may choose (the plot clips the rest).
    const double lineTop = cdf ? 100 : 3 * countTop + 10;
    QVector<PhaseLegend::Item> items;
    for (const auto &marker : markers) {
        auto *line = new QLineSeries;
        line->setPen(QPen(markerColor, 1.5, marker.style));
        line->append(marker.value, 0);
        line->append(marker.value, lineTop);
        chart->addSeries(line);
        line->attachAxis(msAxis);
        line->attachAxis(yAxis);
        items.append({markerColor, tr("%1 %2 ms").arg(tr(marker.name), formatMsShort(marker.value)), marker.style});
    }
    markerLegend->setItems(std::move(items), markerColor, chart->backgroundBrush());
    distributionLayout->activate(); // its height now: a grab right after shows it
    // Ranges last: attaching a series may refit an axis to its data.
    setTicks(msAxis, histogram.start, histogram.end(), niceCeiling(histogram.end() - histogram.start));
    binAxis->setRange(-0.5, double(histogram.bins.size()) - 0.5);
    fitDistributionTicks();
}

// The longest title that fits and as many ticks as leave every label whole, at the plot's
// current size (again on every resize).
void StatisticsPanel::Private::fitDistributionTicks()
{
    if (msAxis->isVisible())
        fitUntilSettled([this] { fitDistributionOnce(); });
}

void StatisticsPanel::Private::fitSummaryTicks()
{
    fitUntilSettled([this] {
        const QChart *chart = summaryView->chart();
        NiceRange(medianTotal, 0, summaryAxis, axisPixels(chart, summaryAxis, chart->size().toSize())).applyTo(summaryAxis);
    });
}

// A new interval moves the plot area, and Qt Charts calls back from inside that change: the
// call back is answered by another round once this one is done (a few at most: the steps settle).
void StatisticsPanel::Private::fitUntilSettled(const std::function<void()> &fit)
{
    if (fitting) {
        fitAgain = true;
        return;
    }
    const QScopedValueRollback<bool> busy(fitting, true);
    fitAgain = true;
    for (int round = 0; round < 4 && fitAgain; ++round) {
        fitAgain = false;
        fit();
    }
}

void StatisticsPanel::Private::fitDistributionOnce()
{
    QChart *chart = distributionView->chart();
    const QSize view = chart->size().toSize(); // the view's, or an export's
    const QFontMetrics titleMetrics(chart->titleFont());
    const int titleRoom = view.width() - 4 * titleMetrics.averageCharWidth(); // chart margins, text margins
    const auto fits = std::find_if(distributionTitles.cbegin(), distributionTitles.cend(), [&](const QString &title) {
        return titleMetrics.horizontalAdvance(title) <= titleRoom;
    });
    chart->setTitle(fits != distributionTitles.cend() ? *fits : distributionTitles.value(distributionTitles.size() - 1));
    setTicks(msAxis, msAxis->min(), msAxis->max(),
             fittingStep(msAxis, msAxis->min(), msAxis->max(), axisPixels(chart, msAxis, view), 0, false));
    NiceRange(countTop, countMinimumStep, yAxis, axisPixels(chart, yAxis, view)).applyTo(yAxis);
}

void StatisticsPanel::Private::showSummary()
{
    QChart *chart = summaryView->chart();
    chart->removeAllSeries();
    QAbstractBarSeries *series = plotsStacked ? static_cast<QAbstractBarSeries *>(new QHorizontalStackedBarSeries)
                                              : new QStackedBarSeries;
    series->setBarWidth(plotsStacked ? 0.7 : 0.6);
    QVector<PhaseLegend::Item> items;
    double total = 0;
    for (int row : model->stackedRows()) {
        const PhaseDefinition &phase = model->entries().at(row).definition;
        const double median = model->statisticsAt(row).median;
        const QString text = tr("%1 %2 ms").arg(titleOf(phase), formatMsShort(median));
        auto *set = new QBarSet(titleOf(phase));
        set->append(median);
        set->setColor(colorOf(phase));
        set->setPen(Qt::NoPen);
        QObject::connect(set, &QBarSet::hovered, set, [text](bool status) { showToolTip(status, text); });
        QObject::connect(set, &QBarSet::clicked, &guard, [this, row] { selectSubject(row); });
        series->append(set);
        items.append({colorOf(phase), text});
        total += median;
    }
    chart->addSeries(series);
    for (QAbstractAxis *axis : chart->axes())
        series->attachAxis(axis);
    summaryAxis->setVisible(!items.isEmpty());
    medianTotal = total;
    fitSummaryTicks();
    legend->setItems(std::move(items), summaryAxis->labelsColor(), chart->backgroundBrush());
}

void StatisticsPanel::Private::selectSubject(int row)
{
    tableView->selectionModel()->setCurrentIndex(model->index(row, 0),
                                                 QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void StatisticsPanel::Private::updateScopeLabel()
{
    QString text = scope;
    if (text.isEmpty()) {
        text = table ? tr("all %1 requests").arg(rows ? qint64(rows->size()) : qint64(table->size()))
                     : tr("no requests loaded");
    }
    scopeLabel->setText(job.isBusy() ? tr("%1 (updating…)").arg(text) : text);
}

// The splitter may narrow the table only so far that every number stays whole and a phase
// name of about twenty characters fits: the table never scrolls sideways.
void StatisticsPanel::Private::fitTableWidth()
{
    const QHeaderView *header = tableView->horizontalHeader();
    const QAbstractItemView *view = tableView; // QTableView hides sizeHintForColumn()
    int numbers = 0;
    for (int column = StatisticsModel::CountColumn; column < StatisticsModel::ColumnCount; ++column)
        numbers += std::max(view->sizeHintForColumn(column), header->sectionSizeHint(column));
    const int chrome = 2 * tableView->frameWidth() + tableView->verticalScrollBar()->sizeHint().width();
    const int shortPhase = tableView->iconSize().width() + 20 * tableView->fontMetrics().averageCharWidth();
    tableView->setMinimumWidth(numbers + chrome + shortPhase);
    tableWanted = numbers + chrome + std::max(shortPhase, view->sizeHintForColumn(StatisticsModel::PhaseColumn));
    defaultSplit(splitter->width());
}

// Until the user moves the divider: the table as wide as its contents, but the plots keep
// at least 45 % of the width.
void StatisticsPanel::Private::defaultSplit(int width)
{
    const int total = width - splitter->handleWidth();
    if (userSplit || tableWanted <= 0 || total <= 0)
        return;
    const int table = std::max(tableView->minimumWidth(), std::min(tableWanted, total * 55 / 100));
    splitter->setSizes({table, std::max(0, total - table)});
}

// Tall enough, the median stack and its legend go under the distribution. Shorter (the lower
// pane of a 1280x720 to 1920x1080 window), the distribution keeps the whole height and nearly
// the whole width, and the medians stand beside it as one narrow column without a legend: the
// table's rows carry the same swatches and the medians in numbers, and a segment's tooltip
// names its phase. A legend that cannot be shown whole is not shown.
void StatisticsPanel::Private::arrangePlots(const QSize &size)
{
    const int line = plots->fontMetrics().height();
    const bool stacked = size.height() >= 20 * line + legend->heightForWidth(size.width()); // 14 + 6 lines
    if (arranged && stacked == plotsStacked)
        return;
    arranged = true;
    plotsStacked = stacked;
    plotsLayout->setDirection(stacked ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    plotsLayout->setSpacing(stacked ? 0 : line / 2);
    legend->setVisible(stacked);
    // Short: the axis titles give their room to the plot; the chart's title names the unit and
    // the counted requests, a CDF's tick labels their percent.
    msAxis->setTitleVisible(stacked);
    yAxis->setTitleVisible(stacked);
    QChart *summary = summaryView->chart();
    summary->setTitle(stacked ? tr("Median per phase, stacked (ms)") : tr("Medians (ms)"));
    if (stacked) {
        summaryPane->setMinimumWidth(0);
        summaryPane->setMaximumWidth(QWIDGETSIZE_MAX);
        summaryView->setMinimumHeight(0);
        summaryView->setFixedHeight(6 * line);
    } else {
        summaryView->setMinimumHeight(0);
        summaryView->setMaximumHeight(QWIDGETSIZE_MAX);
        const QFontMetrics title(summary->titleFont());
        summaryPane->setFixedWidth(title.horizontalAdvance(summary->title()) + 2 * line);
    }
    for (QAbstractAxis *axis : summary->axes())
        summary->removeAxis(axis);
    summary->addAxis(summaryAxis, stacked ? Qt::AlignBottom : Qt::AlignLeft);
    summary->addAxis(summaryCategory, stacked ? Qt::AlignLeft : Qt::AlignBottom);
    showSummary(); // the series' orientation follows the axes
    plotsLayout->activate(); // now: a grab or export right after the resize shows the new arrangement
}

// Lays the plots out at the target's size and paints each part itself. QWidget::render()
// of a hidden panel would first adjustSize() the panel and its layout would undo ours, and
// a chart never shown renders collapsed unless resized and laid out first (docs/design.md §3.4).
void StatisticsPanel::Private::renderPlots(QPainter &painter, const QRect &target)
{
    // Lays out both levels by hand: a hidden panel's nested layout would wait for a show.
    auto layOut = [this](const QSize &size) {
        arrangePlots(size);
        plotsLayout->setGeometry(QRect(QPoint(0, 0), size));
        distributionLayout->setGeometry(distributionPane->rect());
        summaryPane->layout()->setGeometry(summaryPane->rect());
    };
    // The first layout gives the plot area the ticks are fitted to, the second places them.
    auto refitLaidOut = [this](QChart *chart) {
        QCoreApplication::sendPostedEvents(chart, QEvent::LayoutRequest);
        fitDistributionTicks();
        fitSummaryTicks();
        QCoreApplication::sendPostedEvents(chart, QEvent::LayoutRequest);
    };
    // Where a widget sits in the plots, whichever of them is its parent.
    auto placeOf = [this](const QWidget *widget) { return QRect(widget->mapTo(plots, QPoint(0, 0)), widget->size()); };
    layOut(target.size());
    painter.save();
    painter.translate(target.topLeft());
    for (QChartView *view : {distributionView, summaryView}) {
        const QRect area = placeOf(view);
        QChart *chart = view->chart();
        const QSizeF shown = chart->size();
        chart->resize(area.size());
        refitLaidOut(chart);
        view->scene()->render(&painter, area, QRectF(QPointF(0, 0), area.size()));
        chart->resize(shown);
        refitLaidOut(chart);
    }
    if (!legend->isHidden())
        legend->paint(painter, placeOf(legend));
    markerLegend->paint(painter, placeOf(markerLegend));
    painter.restore();
    layOut(plots->size()); // back to what the screen shows
}

StatisticsPanel::StatisticsPanel(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>(this)) {}

StatisticsPanel::~StatisticsPanel() = default;

void StatisticsPanel::setTable(std::shared_ptr<const RequestTable> table)
{
    // The plotted phase stays chosen when a table with the same phase replaces this one
    // (a live update, another dataset).
    const QString plotted = d->subject >= 0 && d->subject < d->model->entries().size()
                                ? d->model->entries().at(d->subject).definition.name
                                : QString();
    d->table = std::move(table);
    d->rows.reset();
    d->scope.clear();
    d->needReport = true;
    d->model->setEntries(d->table ? entriesOf(*d->table) : QVector<Entry>());
    d->subject = -1;
    for (int i = 0; i < d->model->entries().size() && !plotted.isEmpty(); ++i) {
        if (d->model->entries().at(i).definition.name == plotted)
            d->subject = i;
    }
    d->clear(); // nothing of the previous table stays on screen while this one computes
    d->schedule();
    if (!d->table)
        Q_EMIT statisticsUpdated();
}

void StatisticsPanel::setRows(const std::vector<int> *rows, const QString &scope)
{
    d->scope = scope;
    // The same rows again (e.g. "all requests" right after setTable) only relabel.
    if (rows ? d->rows && *d->rows == *rows : !d->rows) {
        d->updateScopeLabel();
        return;
    }
    d->rows = rows ? std::make_shared<const std::vector<int>>(*rows) : nullptr;
    d->needReport = true;
    d->schedule();
}

void StatisticsPanel::setDistributions(const QVector<HistogramDistribution> &distributions)
{
    d->distributions->setDistributions(distributions);
    const bool shown = !distributions.isEmpty();
    d->tabs->setTabVisible(1, shown);
    d->tabs->tabBar()->setVisible(shown || d->tabs->isTabVisible(2));
    d->tabs->setTabText(1, tr("Server histograms (%1)").arg(distributions.size()));
    const bool noRequests = !d->table || d->table->isEmpty();
    d->tabs->setCurrentIndex(shown && noRequests ? 1 : 0);
}

DistributionsView *StatisticsPanel::distributionsView() const
{
    return d->distributions;
}

void StatisticsPanel::setIntervalsShown(bool shown)
{
    const bool noRequests = !d->table || d->table->isEmpty();
    d->tabs->setTabVisible(2, shown);
    d->tabs->setTabVisible(0, !(shown && noRequests)); // no empty request statistics beside intervals
    d->tabs->tabBar()->setVisible(shown || d->tabs->isTabVisible(1));
    if (shown && noRequests && !d->tabs->isTabVisible(1))
        d->tabs->setCurrentIndex(2);
    else if (!shown && d->tabs->currentIndex() == 2)
        d->tabs->setCurrentIndex(0);
}

void StatisticsPanel::showIntervalRange()
{
    d->tabs->setCurrentIndex(2);
}

IntervalRangeView *StatisticsPanel::intervalRangeView() const
{
    return d->intervalRange;
}

const StatisticsReport &StatisticsPanel::report() const
{
    return d->report;
}

bool StatisticsPanel::isUpdating() const
{
    return d->job.isBusy();
}

void StatisticsPanel::renderPlots(QPainter &painter, const QRect &target)
{
    d->job.finishNow(); // an export must not show a stale or empty state
    d->renderPlots(painter, target);
}

QWidget *StatisticsPanel::plotsWidget() const
{
    return d->plots;
}

} // namespace Phaseline
