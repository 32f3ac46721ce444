#include "requesttableview.h"

#include "core/csvreader.h"
#include "requestfilterproxy.h"
#include "requestselection.h"
#include "requesttablemodel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSaveFile>
#include <QScopedValueRollback>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>

namespace Phaseline {

namespace {

constexpr int kMaxInitialColumnWidth = 320;

// Seconds on the row's clock with nanosecond digits: origin + relative for clocks with a
// start (epoch, steady clocks), the value itself on an aligned (durations-only) clock.
QString stampText(const RequestTable &table, double relative, bool aligned)
{
    if (isMissing(relative))
        return QString();
    if (aligned || !table.hasTimeOrigin())
        return QString::number(relative, 'f', 9);
    constexpr qint64 kPerSecond = 1000000000;
    // Saturating: a finite but absurd duration (1e300 s) placed after a stamp stays defined.
    const qint64 nanoseconds =
        saturatingAdd(qint64(table.timeOriginSeconds()) * kPerSecond, saturatingNanoseconds(relative * 1e9));
    const qint64 seconds = nanoseconds / kPerSecond;
    return QStringLiteral("%1.%2").arg(seconds).arg(nanoseconds - seconds * kPerSecond, 9, 10, QLatin1Char('0'));
}

// Writes `rows` of `table` (display order) as CSV: the request columns, then what a
// re-import needs to rebuild the requests exactly: every recorded stamp ("stamp:<name>",
// seconds) and the server labels the server column joins. Counts rows in `written`; stops
// without writing the file once `canceled` says so. Returns the problem, empty when written.
QString writeRequestCsv(const QString &path, const RequestTable &table, const std::vector<int> &rows,
                        const std::function<bool()> &canceled, std::atomic<qint64> *written)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return RequestTableView::tr("Cannot write %1: %2").arg(path, file.errorString());
    const RequestColumns model(&table);
    std::vector<int> stampColumns;
    for (int i = 0; i < table.stampColumnCount(); ++i) {
        if (table.stampColumn(i).isAllocated())
            stampColumns.push_back(i);
    }
    const int serverColumn = model.forName(QStringLiteral("server"));
    const std::vector<int> serverLabels = serverColumn >= 0 ? model.labelColumnsOf(serverColumn) : std::vector<int>{};
    const int clockLabel = table.labelIndex(QStringLiteral("clock"));
    const int columns = model.count();
    QStringList fields;
    for (const QString &name : model.names())
        fields << csvField(name);
    for (int stamp : stampColumns)
        fields << csvField(QStringLiteral("stamp:") + table.stampColumn(stamp).name);
    for (int label : serverLabels)
        fields << csvField(QStringLiteral("label:") + table.labelColumn(label).name);
    QByteArray buffer = fields.join(QLatin1Char(',')).toUtf8() + '\n';
    for (size_t i = 0; i < rows.size(); ++i) {
        const int row = rows[i];
        fields.clear();
        for (int column = 0; column < columns; ++column)
            fields << csvField(RequestTableModel::plainText(model, column, row));
        const bool aligned = clockLabel >= 0 && isAlignedClock(table.labelColumn(clockLabel).at(row));
        for (int stamp : stampColumns)
            fields << stampText(table, table.stamp(stamp, row), aligned);
        for (int label : serverLabels)
            fields << csvField(table.labelColumn(label).at(row));
        buffer += fields.join(QLatin1Char(',')).toUtf8() + '\n';
        if (buffer.size() > (1 << 20)) {
            if (canceled())
                return QString(); // QSaveFile drops what it wrote
            file.write(buffer);
            buffer.clear();
            written->store(qint64(i + 1), std::memory_order_relaxed);
        }
    }
    file.write(buffer);
    written->store(qint64(rows.size()), std::memory_order_relaxed);
    if (canceled())
        return QString();
    if (!file.commit())
        return RequestTableView::tr("Cannot write %1: %2").arg(path, file.errorString());
    return QString();
}

} // namespace

RequestTableView::RequestTableView(RequestSelection *selection, QWidget *parent)
    : QWidget(parent), m_selection(selection), m_model(new RequestTableModel(this)),
      m_proxy(new RequestFilterProxy(this)), m_filterEdit(new QLineEdit), m_filterTimer(new QTimer(this)),
      m_count(new QLabel), m_view(new QTableView), m_exportCapture(new QTimer(this)),
      m_exportProgressTimer(new QTimer(this)), m_export([this](CsvResult result) { exportDone(std::move(result)); })
{
    m_proxy->setSourceModel(m_model);

    // The display order of an export is read between events; if the rows move meanwhile
    // (a sort, a filter, a new table), it is read again from the start.
    m_exportCapture->setInterval(0);
    connect(m_exportCapture, &QTimer::timeout, this, &RequestTableView::captureExportRows);
    auto restartIfCapturing = [this] {
        if (m_exportCapture->isActive() || m_exportAwaitsOrder)
            restartExportCapture();
    };
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, restartIfCapturing);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, restartIfCapturing);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, restartIfCapturing);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, restartIfCapturing);
    m_exportProgressTimer->setInterval(100);
    connect(m_exportProgressTimer, &QTimer::timeout, this,
            [this] { Q_EMIT csvExportProgress(m_exportWritten->load(), m_exportTotal); });

    m_filterEdit->setObjectName(QStringLiteral("filterEdit"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setPlaceholderText(
        tr("Filter: text in id/server/status, or conditions like  ctx_queue > 50 and decode <= 1200  (ms)"));
    m_filterErrorAction = m_filterEdit->addAction(style()->standardIcon(QStyle::SP_MessageBoxWarning),
                                                  QLineEdit::TrailingPosition);
    m_filterErrorAction->setVisible(false);
    m_count->setObjectName(QStringLiteral("countLabel"));

    // Typing filters after a pause, so a million rows are not re-filtered per keystroke.
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(250);
    connect(m_filterEdit, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, &RequestTableView::applyFilter);
    connect(m_filterEdit, &QLineEdit::returnPressed, this, &RequestTableView::applyFilter);

    // Connected before setModel() so it runs ahead of the selection model's own handler: a
    // sort or filter then never turns a scattered selection of a million rows into persistent
    // indexes. The shared selection is the truth and is shown again once the rows settled.
    connect(m_proxy, &QAbstractItemModel::layoutAboutToBeChanged, this, [this] {
        m_relayouting = true;
        m_view->selectionModel()->clearSelection();
    });
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    // QTableView's "uniform row heights": fixed sections never measure a row's contents.
    QHeaderView *rows = m_view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    rows->hide();
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setSectionsMovable(true);
    columns->setHighlightSections(false);
    // No sort column until the user picks one: rows start in table (arrival) order.
    columns->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RequestTableView::onViewSelectionChanged);
    connect(m_selection, &RequestSelection::changed, this, &RequestTableView::showSharedSelection);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, [this] {
        m_relayouting = false;
        showSharedSelection();
        updateCount();
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RequestTableView::updateCount);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 6, 0);
    bar->addWidget(m_filterEdit, 1);
    bar->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    showFilterError(QString());
    updateCount();
}

RequestTableView::~RequestTableView() = default;

void RequestTableView::setTable(std::shared_ptr<const RequestTable> table)
{
    const QStringList columnsBefore = m_model->columnNames();
    {
        QScopedValueRollback<bool> guard(m_syncing, true);
        m_model->setTable(std::move(table));
        applyFilter();
    }
    // Measuring text is most of a refresh: a table with the same columns (a live update) keeps their widths.
    if (m_model->columnNames() != columnsBefore)
        fitColumns();
    updateCount();
    showSharedSelection();
}

void RequestTableView::applyFilter()
{
    m_filterTimer->stop();
    QString error;
    showFilterError(m_proxy->setFilterExpression(m_filterEdit->text().trimmed(), &error) ? QString() : error);
}

void RequestTableView::showFilterError(const QString &error)
{
    m_filterErrorAction->setVisible(!error.isEmpty());
    if (error.isEmpty()) {
        m_filterEdit->setPalette(QPalette()); // back to the inherited palette
        m_filterEdit->setToolTip(
            tr("Show requests matching every part:\n"
               "  word         id, server or status contains it (case-insensitive)\n"
               "  NAME OP N    phase, ttft, e2e (ms) or attribute; OP is > >= < <= == !=\n"
               "Parts are separated by spaces or \"and\". Requests missing a value never match a condition."));
        m_filterErrorAction->setToolTip(QString());
        return;
    }
    QPalette palette = m_filterEdit->palette();
    palette.setColor(QPalette::Base, QColor(0xFF, 0xE4, 0xE1));
    palette.setColor(QPalette::Text, Qt::black);
    m_filterEdit->setPalette(palette);
    QStringList numeric;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        if (m_model->isNumeric(column))
            numeric << m_model->columnName(column);
    }
    const QString message = tr("%1\nThe previous filter stays in effect.\n\nColumns that conditions can use:\n%2")
                                .arg(error, numeric.join(QStringLiteral(", ")));
    m_filterEdit->setToolTip(message);
    m_filterErrorAction->setToolTip(message);
}

QString RequestTableView::countText() const
{
    return m_count->text();
}

void RequestTableView::updateCount()
{
    const QLocale locale;
    m_count->setText(
        tr("%1 of %2 requests").arg(locale.toString(m_proxy->rowCount()), locale.toString(m_model->rowCount())));
}

void RequestTableView::fitColumns()
{
    // Measures the first rows only (text layout costs ~10 µs a cell), so this stays cheap for huge tables.
    constexpr int kRowsMeasured = 100;
    m_view->horizontalHeader()->setResizeContentsPrecision(kRowsMeasured);
    m_view->resizeColumnsToContents();
    QHeaderView *header = m_view->horizontalHeader();
    for (int column = 0; column < header->count(); ++column) {
        if (header->sectionSize(column) > kMaxInitialColumnWidth)
            header->resizeSection(column, kMaxInitialColumnWidth);
    }
}

void RequestTableView::onViewSelectionChanged()
{
    if (m_syncing || m_relayouting)
        return;
    std::vector<int> rows;
    const QItemSelection selection = m_view->selectionModel()->selection();
    for (const QItemSelectionRange &range : selection) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.push_back(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    }
    QScopedValueRollback<bool> guard(m_syncing, true);
    m_selection->setRows(std::move(rows));
}

void RequestTableView::showSharedSelection()
{
    if (m_syncing)
        return;
    QScopedValueRollback<bool> guard(m_syncing, true);
    std::vector<int> proxyRows;
    proxyRows.reserve(m_selection->rows().size());
    for (int row : m_selection->rows()) {
        if (row >= m_model->rowCount())
            break; // a selection made in another table; rows() is sorted
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            proxyRows.push_back(index.row());
    }
    std::sort(proxyRows.begin(), proxyRows.end());

    // One range per run of adjacent rows: a sorted view scatters them, a filtered one rarely does.
    QItemSelection selection;
    const int lastColumn = m_proxy->columnCount() - 1;
    for (size_t first = 0; first < proxyRows.size();) {
        size_t last = first;
        while (last + 1 < proxyRows.size() && proxyRows[last + 1] == proxyRows[last] + 1)
            ++last;
        selection.select(m_proxy->index(proxyRows[first], 0), m_proxy->index(proxyRows[last], lastColumn));
        first = last + 1;
    }
    QItemSelectionModel *model = m_view->selectionModel();
    model->select(selection, QItemSelectionModel::ClearAndSelect);
    if (proxyRows.empty())
        return;
    // Keep the horizontal scroll position: scroll to the first row in the leftmost visible column.
    const QModelIndex first = m_proxy->index(proxyRows.front(), std::max(0, m_view->columnAt(0)));
    model->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    m_view->scrollTo(first);
}

bool RequestTableView::exportCsv(const QString &path, QString *error) const
{
    m_proxy->finishOrderingNow(); // the order asked for, even when still being computed
    std::vector<int> rows(size_t(m_proxy->rowCount()));
    for (int proxyRow = 0; proxyRow < int(rows.size()); ++proxyRow)
        rows[size_t(proxyRow)] = m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
    static const RequestTable noTable;
    std::atomic<qint64> written{0};
    const QString problem = writeRequestCsv(path, m_model->table() ? *m_model->table() : noTable, rows, [] { return false; },
                                            &written);
    if (error)
        *error = problem;
    return problem.isEmpty();
}

void RequestTableView::startCsvExport(const QString &path)
{
    if (isExportingCsv())
        cancelCsvExport();
    m_exportPath = path;
    restartExportCapture();
}

void RequestTableView::restartExportCapture()
{
    m_exportRows.clear();
    // A sort or filter being computed: the export waits for the order asked for, whose layout change restarts it.
    m_exportAwaitsOrder = m_proxy->isOrdering();
    if (m_exportAwaitsOrder) {
        m_exportCapture->stop();
        return;
    }
    m_exportRows.reserve(size_t(m_proxy->rowCount()));
    m_exportCapture->start();
}

void RequestTableView::captureExportRows()
{
    // A slice costs a few milliseconds: the window keeps answering between slices.
    constexpr int kRowsPerSlice = 25000;
    const int total = m_proxy->rowCount();
    const int end = std::min(total, int(m_exportRows.size()) + kRowsPerSlice);
    for (int proxyRow = int(m_exportRows.size()); proxyRow < end; ++proxyRow)
        m_exportRows.push_back(m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row());
    Q_EMIT csvExportProgress(0, total);
    if (end < total)
        return;
    m_exportCapture->stop();
    m_exportTotal = total;
    m_exportWritten = std::make_shared<std::atomic<qint64>>(0);
    m_exportProgressTimer->start();
    static const auto noTable = std::make_shared<const RequestTable>();
    m_export.start([path = m_exportPath, table = m_model->tableSnapshot() ? m_model->tableSnapshot() : noTable,
                    rows = std::move(m_exportRows), written = m_exportWritten](const JobToken &token) {
        return CsvResult{path, writeRequestCsv(path, *table, rows, [&token] { return token.isCanceled(); }, written.get())};
    });
    m_exportRows.clear();
}

void RequestTableView::exportDone(CsvResult result)
{
    m_exportProgressTimer->stop();
    Q_EMIT csvExportProgress(m_exportTotal, m_exportTotal);
    Q_EMIT csvExportFinished(result.path, result.error);
}

void RequestTableView::cancelCsvExport()
{
    if (!isExportingCsv())
        return;
    m_exportCapture->stop();
    m_exportAwaitsOrder = false;
    m_exportRows.clear();
    m_export.discard(); // the job stops at its next check; the unfinished file is never committed
    m_exportProgressTimer->stop();
    Q_EMIT csvExportCanceled(m_exportPath);
}

bool RequestTableView::isExportingCsv() const
{
    return m_exportAwaitsOrder || m_exportCapture->isActive() || m_export.isBusy();
}

void RequestTableView::finishCsvExportNow()
{
    if (m_exportAwaitsOrder)
        m_proxy->finishOrderingNow();
    while (m_exportCapture->isActive())
        captureExportRows();
    m_export.finishNow();
}

} // namespace Phaseline
