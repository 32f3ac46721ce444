// Request table: model cells, sorting, filter expressions, selection linking, CSV export.
// Expected milliseconds, orders and row counts were computed from the raw sample JSON with
// Python's decimal module (stamp differences × 1000), not from Phaseline's output.

#include "core/backgroundpool.h"
#include "guitestmain.h"
#include "load/loader.h"
#include "requestfilterproxy.h"
#include "requestselection.h"
#include "requesttablemodel.h"
#include "requesttableview.h"
#include "testutils.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>

using namespace Phaseline;

namespace {

const QString kDisaggSample = QStringLiteral("trtllm/endpoint_B_disagg_wrapper.json");
const QString kJsonlAggSample = QStringLiteral("trtllm/jsonl_D_agg");

const RequestTable &disaggTable()
{
    return PhaselineTest::loadOnce(kDisaggSample).table;
}

QStringList idsInViewOrder(const QAbstractItemModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row, 0).data().toString();
    return ids;
}

QStringList idList(std::initializer_list<int> ids)
{
    QStringList list;
    for (int id : ids)
        list << QString::number(id);
    return list;
}

std::vector<int> tableRows(const RequestTable &table, std::initializer_list<int> ids)
{
    std::vector<int> rows;
    for (int id : ids)
        rows.push_back(PhaselineTest::rowOf(table, QString::number(id)));
    std::sort(rows.begin(), rows.end());
    return rows;
}

// Minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
QVector<QStringList> parseCsv(const QString &text)
{
    QVector<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            record << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            records << (record << field);
            record.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    return records;
}

QVector<QStringList> readCsv(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? parseCsv(QString::fromUtf8(file.readAll())) : QVector<QStringList>();
}

// A JSON array of `count` requests with ties (stamps on a coarse grid) and missing values
// (every 11th request lacks its first scheduling, every 13th its tokens), `shift` s later per request.
QString writeGappyArray(const QDir &dir, const QString &name, int count, double shift)
{
    QString text = QStringLiteral("[\n");
    for (int i = 0; i < count; ++i) {
        const double arrival = 1000.0 + i * shift;
        QStringList stamps{QStringLiteral("\"arrival_time\": %1").arg(arrival, 0, 'f', 6)};
        if (i % 11 != 0)
            stamps << QStringLiteral("\"first_scheduled_time\": %1").arg(arrival + (i % 5) * 0.001, 0, 'f', 6);
        if (i % 13 != 0) {
            const double firstToken = arrival + 0.01 + (i % 17) * 0.002;
            stamps << QStringLiteral("\"first_token_time\": %1").arg(firstToken, 0, 'f', 6)
                   << QStringLiteral("\"last_token_time\": %1").arg(firstToken + (i % 3) * 0.1, 0, 'f', 6);
        }
        text += QStringLiteral("{\"request_id\": %1, \"perf_metrics\": {\"timing_metrics\": {%2}}}%3\n")
                    .arg(i)
                    .arg(stamps.join(QStringLiteral(", ")), i + 1 < count ? QStringLiteral(",") : QString());
    }
    text += QStringLiteral("]\n");
    return PhaselineTest::writeFile(dir.path(), name, text.toUtf8());
}

// The ordering the request table had while it was a QSortFilterProxyModel: a stable sort of the
// accepted rows (table order) by lessThan, descending as lessThan(right, left); missing last.
class QtProxyOrdering : public QSortFilterProxyModel
{
public:
    explicit QtProxyOrdering(RequestTableModel *model, const QString &filter) : m_model(model)
    {
        setSourceModel(model);
        m_filter.compile(filter, model->columns());
        invalidate();
    }

    std::vector<int> rows() const
    {
        std::vector<int> rows;
        for (int row = 0; row < rowCount(); ++row)
            rows.push_back(mapToSource(index(row, 0)).row());
        return rows;
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &) const override { return m_filter.accepts(row); }
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override
    {
        const int column = left.column();
        if (!m_model->isNumeric(column))
            return m_model->compareText(column, left.row(), right.row()) < 0;
        const double a = m_model->number(column, left.row());
        const double b = m_model->number(column, right.row());
        if (isMissing(a) || isMissing(b))
            return isMissing(a) != isMissing(b) && isMissing(a) == (sortOrder() == Qt::DescendingOrder);
        return a < b;
    }

private:
    RequestTableModel *m_model;
    RequestFilter m_filter;
};

std::vector<int> shownRows(const RequestFilterProxy &proxy)
{
    std::vector<int> rows;
    for (int row = 0; row < proxy.rowCount(); ++row)
        rows.push_back(proxy.mapToSource(proxy.index(row, 0)).row());
    return rows;
}

// Jobs wait at their start until the gate opens.
std::atomic<bool> jobGateOpen{true};
void waitForJobGate()
{
    while (!jobGateOpen.load())
        QThread::msleep(1);
}

} // namespace

class TestRequestTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const LoadResult &result = PhaselineTest::loadOnce(kDisaggSample);
        QVERIFY2(!result.hasErrors(), qPrintable(PhaselineTest::describeIssues(result)));
        QCOMPARE(result.table.size(), 10);
    }

    void modelTester()
    {
        RequestTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        QCOMPARE(model.rowCount(), 10);
        model.setTable(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 0);
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
    }

    void proxyTester()
    {
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        proxy.sort(model.columnForPhase(QStringLiteral("ctx_queue")), Qt::DescendingOrder);
        QVERIFY(proxy.setFilterExpression(QStringLiteral("node1"), nullptr));
        QCOMPARE(proxy.rowCount(), 5);
        QVERIFY(proxy.setFilterExpression(QString(), nullptr));
        QCOMPARE(proxy.rowCount(), 10);
        model.setTable(nullptr);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void columns()
    {
        RequestTableModel model;
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        const QStringList names = model.columnNames();
        QCOMPARE(names.mid(0, 4), QStringList({QStringLiteral("id"), QStringLiteral("role"), QStringLiteral("server"),
                                               QStringLiteral("status")}));
        // Every phase of the catalogue is recorded by this sample, in catalogue order, then the totals.
        const QStringList durations =
            PhaselineTest::trtllmPhaseNames() << QStringLiteral("ttft") << QStringLiteral("e2e");
        QCOMPARE(names.mid(4, durations.size()), durations);
        QVERIFY(names.contains(QStringLiteral("gen_kv_cache_size")));
        QCOMPARE(names.mid(names.size() - 2), QStringList({QStringLiteral("source"), QStringLiteral("clock")}));
        QCOMPARE(model.columnForPhase(QStringLiteral("ctx_queue")), 4 + 2);
        QCOMPARE(model.columnForPhase(QStringLiteral("e2e")), 4 + durations.size() - 1);
        QCOMPARE(model.columnForPhase(QStringLiteral("gen_kv_cache_size")), -1);
        QCOMPARE(model.columnForPhase(QStringLiteral("no_such_phase")), -1);

        const int column = model.columnForPhase(QStringLiteral("ctx_queue"));
        QCOMPARE(model.headerData(column, Qt::Horizontal).toString(), QStringLiteral("ctx_queue"));
        const PhaseCatalog &catalogue = disaggTable().phases();
        const PhaseDefinition &phase = catalogue.at(catalogue.indexOf(QStringLiteral("ctx_queue")));
        QVERIFY(model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().contains(phase.description));
    }

    void phaseColumnsFollowTheData()
    {
        // An aggregated server records no disaggregated or generation stamps: no empty columns for them.
        RequestTableModel model;
        model.setTable(PhaselineTest::snapshotOf(PhaselineTest::loadOnce(kJsonlAggSample).table));
        QCOMPARE(model.columnForPhase(QStringLiteral("disagg_relay")), -1);
        QVERIFY(model.columnForPhase(QStringLiteral("ctx_queue")) >= 0);
        QVERIFY(model.columnForPhase(QStringLiteral("decode")) >= 0);
    }

    void cells_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("display");
        QTest::addColumn<double>("sortKey"); // ms or attribute; NaN when missing; unused for text

        const double nan = kMissing;
        QTest::newRow("1001 ctx_queue") << "1001" << "ctx_queue" << "1.277" << 1.277;
        QTest::newRow("1001 decode") << "1001" << "decode" << "1170.661" << 1170.661;
        QTest::newRow("1003 ctx_preprocessing") << "1003" << "ctx_preprocessing" << "2.860" << 2.86;
        QTest::newRow("1005 gen_kv_transfer") << "1005" << "gen_kv_transfer" << "5.728" << 5.728;
        QTest::newRow("1019 ttft") << "1019" << "ttft" << "89.172" << 89.172;
        QTest::newRow("1019 e2e") << "1019" << "e2e" << "1323.915" << 1323.915;
        QTest::newRow("1013 ctx_queue missing") << "1013" << "ctx_queue" << "" << nan;
        QTest::newRow("1013 disagg_relay missing") << "1013" << "disagg_relay" << "" << nan;
        QTest::newRow("1013 gen_queue") << "1013" << "gen_queue" << "5.053" << 5.053;
        QTest::newRow("1007 disagg_preprocessing anomaly")
            << "1007" << "disagg_preprocessing" << "\u26A0 -0.410" << -0.41;
        QTest::newRow("1001 gen_kv_cache_size") << "1001" << "gen_kv_cache_size" << "132251648" << 132251648.0;
        QTest::newRow("1001 ctx_num_missed_blocks") << "1001" << "ctx_num_missed_blocks" << "32" << 32.0;
        QTest::newRow("1013 ctx_num_missed_blocks missing") << "1013" << "ctx_num_missed_blocks" << "" << nan;
        QTest::newRow("1001 role") << "1001" << "role" << "disaggregated" << nan;
        QTest::newRow("1001 server")
            << "1001" << "server" << "http://ctx-node0:8001, http://gen-node0:8002, endpoint_B_disagg_wrapper.json" << nan;
        QTest::newRow("1003 server")
            << "1003" << "server" << "http://ctx-node1:8001, http://gen-node1:8002, endpoint_B_disagg_wrapper.json" << nan;
        QTest::newRow("1001 status (none recorded)") << "1001" << "status" << "" << nan;
    }

    void cells()
    {
        QFETCH(QString, id);
        QFETCH(QString, column);
        QFETCH(QString, display);
        QFETCH(double, sortKey);
        RequestTableModel model;
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        const int row = PhaselineTest::rowOf(disaggTable(), id);
        const int col = model.columnForName(column);
        QVERIFY(row >= 0);
        QVERIFY(col >= 0);
        const QModelIndex index = model.index(row, col);
        QCOMPARE(index.data().toString(), display);
        QCOMPARE(index.data(RequestTableModel::RowRole).toInt(), row);
        const QVariant key = index.data(RequestTableModel::SortKeyRole);
        if (!model.isNumeric(col)) {
            QCOMPARE(key.toString(), display);
        } else if (std::isnan(sortKey)) {
            QVERIFY(std::isnan(key.toDouble()));
        } else {
            QCOMPARE(key.userType(), QMetaType::Double);
            PHASELINE_COMPARE_MS(key.toDouble(), sortKey);
        }
    }

    void anomalyIsFlagged()
    {
        RequestTableModel model;
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        const int column = model.columnForPhase(QStringLiteral("disagg_preprocessing"));
        const QModelIndex skewed = model.index(PhaselineTest::rowOf(disaggTable(), QStringLiteral("1007")), column);
        const QColor color = skewed.data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(color.isValid());
        QVERIFY2(color.red() > 150 && color.green() < 100 && color.blue() < 100, qPrintable(color.name()));
        QVERIFY(skewed.data(Qt::ToolTipRole).toString().contains(QStringLiteral("0.410")));
        const QModelIndex normal = model.index(PhaselineTest::rowOf(disaggTable(), QStringLiteral("1001")), column);
        QVERIFY(!normal.data(Qt::ForegroundRole).isValid());
        QCOMPARE(normal.data(Qt::TextAlignmentRole).toInt(), int(Qt::AlignRight | Qt::AlignVCenter));
    }

    void serverToolTip()
    {
        // The server cell elides; its tooltip names every server on a line of its own.
        RequestTableModel model;
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        const QModelIndex cell = model.index(PhaselineTest::rowOf(disaggTable(), QStringLiteral("1003")),
                                             model.columnForName(QStringLiteral("server")));
        QCOMPARE(cell.data(Qt::ToolTipRole).toString(),
                 QStringLiteral("ctx_server: http://ctx-node1:8001\ngen_server: http://gen-node1:8002\n"
                                "server: endpoint_B_disagg_wrapper.json"));
    }

    void sortMissingLast_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<Qt::SortOrder>("order");
        QTest::addColumn<QStringList>("ids");

        QTest::newRow("ctx_queue ascending") << "ctx_queue" << Qt::AscendingOrder
                                             << idList({1015, 1009, 1003, 1001, 1019, 1017, 1011, 1005, 1007, 1013});
        QTest::newRow("ctx_queue descending") << "ctx_queue" << Qt::DescendingOrder
                                              << idList({1007, 1005, 1011, 1017, 1019, 1001, 1003, 1009, 1015, 1013});
        // The anomaly (-0.410 ms) is a value like any other: first ascending, last but the missing one descending.
        QTest::newRow("disagg_preprocessing ascending")
            << "disagg_preprocessing" << Qt::AscendingOrder
            << idList({1007, 1019, 1009, 1011, 1005, 1001, 1003, 1015, 1017, 1013});
        QTest::newRow("disagg_preprocessing descending")
            << "disagg_preprocessing" << Qt::DescendingOrder
            << idList({1017, 1015, 1003, 1001, 1005, 1011, 1009, 1019, 1007, 1013});
        QTest::newRow("ctx_num_missed_blocks descending (ties keep table order)")
            << "ctx_num_missed_blocks" << Qt::DescendingOrder
            << idList({1009, 1011, 1015, 1017, 1003, 1007, 1001, 1005, 1019, 1013});
    }

    void sortMissingLast()
    {
        QFETCH(QString, column);
        QFETCH(Qt::SortOrder, order);
        QFETCH(QStringList, ids);
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        proxy.sort(model.columnForName(column), order);
        QCOMPARE(idsInViewOrder(proxy), ids);
    }

    void sortIdsNumerically()
    {
        RequestTable table;
        for (const char *id : {"999", "1001", "20", "req-b", "007", "req-a"})
            table.appendRow(id, Role::Aggregated);
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.setTable(PhaselineTest::snapshotOf(table));
        proxy.sort(0, Qt::AscendingOrder);
        QCOMPARE(idsInViewOrder(proxy), QStringList({QStringLiteral("007"), QStringLiteral("20"), QStringLiteral("999"),
                                                     QStringLiteral("1001"), QStringLiteral("req-a"),
                                                     QStringLiteral("req-b")}));
    }

    void filter_data()
    {
        QTest::addColumn<QString>("sample");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("rows");

        QTest::newRow("empty") << kDisaggSample << "" << 10;
        QTest::newRow("condition") << kDisaggSample << "ctx_queue > 2" << 3; // missing (1013) never matches
        QTest::newRow("no spaces") << kDisaggSample << "decode<=1170" << 3;
        QTest::newRow("anomaly") << kDisaggSample << "disagg_preprocessing < 0" << 1;
        QTest::newRow("range by whitespace") << kDisaggSample << "ctx_queue>2 ctx_queue<2.8" << 2;
        QTest::newRow("range by AND") << kDisaggSample << "gen_queue_wait >= 0.5 AND gen_queue_wait < 0.7" << 3;
        QTest::newRow("brief example") << kDisaggSample << "ctx_queue > 1 and decode<=1200 node0" << 3;
        QTest::newRow("total and text") << kDisaggSample << "ttft > 90 node0" << 4;
        QTest::newRow("attribute ==") << kDisaggSample << "gen_kv_cache_size == 135528448" << 2;
        QTest::newRow("attribute !=") << kDisaggSample << "gen_kv_cache_size != 135528448" << 8;
        QTest::newRow("server text") << kDisaggSample << "node1" << 5;
        QTest::newRow("text is case-insensitive") << kDisaggSample << "NODE1" << 5;
        QTest::newRow("id text") << kDisaggSample << "101" << 5;
        QTest::newRow("no match") << kDisaggSample << "ctx_queue > 50" << 0;
        QTest::newRow("status text") << kJsonlAggSample << "COMPLET" << 8;
        QTest::newRow("server from file name") << kJsonlAggSample << "node17" << 8;
    }

    void filter()
    {
        QFETCH(QString, sample);
        QFETCH(QString, expression);
        QFETCH(int, rows);
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.setTable(PhaselineTest::snapshotOf(PhaselineTest::loadOnce(sample).table));
        QString error;
        QVERIFY2(proxy.setFilterExpression(expression, &error), qPrintable(error));
        QCOMPARE(proxy.rowCount(), rows);
    }

    void invalidFilter_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("named"); // what the message must mention

        QTest::newRow("unknown column") << "foo > 5" << "\"foo\"";
        QTest::newRow("unknown column after valid part") << "ctx_queue > 1 and ctx_qeue < 3" << "\"ctx_qeue\"";
        QTest::newRow("not a number") << "ctx_queue > abc" << "\"abc\"";
        QTest::newRow("missing number") << "ctx_queue >" << "needs a number";
        QTest::newRow("missing column") << "> 5" << "needs a column";
        QTest::newRow("single =") << "ctx_queue = 5" << "\"=\"";
        QTest::newRow("=>") << "ctx_queue => 5" << "\"=\"";
        QTest::newRow("text column") << "server > 5" << "\"server\" is a text column";
    }

    void invalidFilter()
    {
        QFETCH(QString, expression);
        QFETCH(QString, named);
        RequestTableModel model;
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        model.setTable(PhaselineTest::snapshotOf(disaggTable()));
        QVERIFY(proxy.setFilterExpression(QStringLiteral("node1"), nullptr));
        QSignalSpy changes(&proxy, &QAbstractItemModel::layoutChanged);
        QString error;
        QVERIFY(!proxy.setFilterExpression(expression, &error));
        QVERIFY2(error.contains(named), qPrintable(error));
        QCOMPARE(changes.count(), 0);
        QCOMPARE(proxy.filterExpression(), QStringLiteral("node1"));
        QCOMPARE(proxy.rowCount(), 5);
    }

    void filterBox()
    {
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        QCOMPARE(view.countText(), QStringLiteral("10 of 10 requests"));
        QLineEdit *edit = view.filterEdit();
        QVERIFY(!edit->placeholderText().isEmpty());
        auto errorShown = [edit] {
            const QList<QAction *> actions = edit->actions();
            return std::any_of(actions.begin(), actions.end(), [](QAction *action) { return action->isVisible(); });
        };

        edit->setText(QStringLiteral("node1"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(view.countText(), QStringLiteral("5 of 10 requests"));
        QVERIFY(!errorShown());

        edit->setText(QStringLiteral("node1 bogus > 3"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(errorShown());
        QVERIFY2(edit->toolTip().contains(QStringLiteral("\"bogus\"")), qPrintable(edit->toolTip()));
        QCOMPARE(view.countText(), QStringLiteral("5 of 10 requests")); // previous filter kept

        // Typing applies after a pause, without Return.
        edit->setText(QStringLiteral("node1 ctx_queue > 2"));
        QTRY_COMPARE(view.countText(), QStringLiteral("2 of 10 requests"));
        QVERIFY(!errorShown());
    }

    void selectionFromView()
    {
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        view.resize(1000, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.proxy()->sort(view.model()->columnForPhase(QStringLiteral("ctx_queue")), Qt::AscendingOrder);
        QSignalSpy spy(&selection, &RequestSelection::changed);

        // Proxy rows 1 and 2 of the ascending ctx_queue order: 1009 and 1003.
        QTableView *table = view.tableView();
        table->selectionModel()->select(QItemSelection(view.proxy()->index(1, 0), view.proxy()->index(2, 0)),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(selection.rows(), tableRows(disaggTable(), {1009, 1003}));

        // A click selects only the clicked request (row 0: 1015).
        const QRect cell = table->visualRect(view.proxy()->index(0, 1));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(spy.count(), 2);
        QCOMPARE(selection.rows(), tableRows(disaggTable(), {1015}));
    }

    void selectionToView()
    {
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        QSignalSpy spy(&selection, &RequestSelection::changed);
        QItemSelectionModel *viewSelection = view.tableView()->selectionModel();
        auto selectedIds = [&] {
            QStringList ids;
            for (const QModelIndex &index : viewSelection->selectedRows())
                ids << index.data().toString();
            ids.sort();
            return ids;
        };

        selection.setRows(tableRows(disaggTable(), {1001, 1003}));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(selectedIds(), idList({1001, 1003}));
        QCOMPARE(viewSelection->currentIndex().data().toString(), QStringLiteral("1001"));

        // Filtering hides 1001 but must not shrink the shared selection.
        view.filterEdit()->setText(QStringLiteral("node1"));
        QTest::keyClick(view.filterEdit(), Qt::Key_Return);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(selection.rows(), tableRows(disaggTable(), {1001, 1003}));
        QCOMPARE(selectedIds(), idList({1003}));

        // A selection made elsewhere with hidden rows is shown as far as visible, and not echoed back.
        selection.setRows(tableRows(disaggTable(), {1005, 1007, 1011}));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(selection.rows(), tableRows(disaggTable(), {1005, 1007, 1011}));
        QCOMPARE(selectedIds(), idList({1007, 1011}));

        view.filterEdit()->clear();
        QTest::keyClick(view.filterEdit(), Qt::Key_Return);
        QCOMPARE(selectedIds(), idList({1005, 1007, 1011}));

        selection.clear();
        QCOMPARE(spy.count(), 3);
        QVERIFY(!viewSelection->hasSelection());
    }

    void selectionScrollsIntoView()
    {
        // Enough rows that the selected one starts off-screen.
        RequestTable table;
        for (int i = 0; i < 400; ++i)
            table.appendRow(std::to_string(i), Role::Aggregated);
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(table));
        view.resize(600, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        selection.selectOnly(350);
        QTableView *tableView = view.tableView();
        const QRect rect = tableView->visualRect(view.proxy()->index(350, 0));
        QVERIFY2(tableView->viewport()->rect().intersects(rect), "the selected row is not scrolled into view");
    }

    void exportCsv()
    {
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        view.proxy()->sort(view.model()->columnForPhase(QStringLiteral("ctx_queue")), Qt::DescendingOrder);
        QVERIFY(view.proxy()->setFilterExpression(QStringLiteral("node0"), nullptr));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("requests.csv"));
        QString error;
        QVERIFY2(view.exportCsv(path, &error), qPrintable(error));
        const QVector<QStringList> records = readCsv(path);

        QCOMPARE(records.size(), 1 + 5);
        const QStringList header = records.first();
        const QStringList columns = view.model()->columnNames();
        QCOMPARE(header.mid(0, columns.size()), columns);
        // Then what a re-import needs (tst_csvimport round trip): stamps and the joined server labels.
        for (const QString &extra : header.mid(columns.size()))
            QVERIFY2(extra.startsWith(QLatin1String("stamp:")) || extra.startsWith(QLatin1String("label:")), qPrintable(extra));
        QVERIFY(header.contains(QStringLiteral("stamp:ctx_arrival_time")));
        QVERIFY(header.contains(QStringLiteral("label:ctx_server")));
        for (const QStringList &record : records)
            QCOMPARE(record.size(), header.size());
        const int id = header.indexOf(QStringLiteral("id"));
        const int ctxQueue = header.indexOf(QStringLiteral("ctx_queue"));
        const int skew = header.indexOf(QStringLiteral("disagg_preprocessing"));
        QStringList ids;
        for (int i = 1; i < records.size(); ++i)
            ids << records[i][id];
        QCOMPARE(ids, idList({1005, 1017, 1001, 1009, 1013})); // node0 rows, ctx_queue descending, missing last
        QCOMPARE(records[1][ctxQueue], QStringLiteral("2.777000"));
        QCOMPARE(records[5][ctxQueue], QString()); // 1013: missing is an empty cell, not 0
        QCOMPARE(records[1][header.indexOf(QStringLiteral("server"))],
                 QStringLiteral("http://ctx-node0:8001, http://gen-node0:8002, endpoint_B_disagg_wrapper.json"));
        QCOMPARE(records[1][header.indexOf(QStringLiteral("gen_kv_cache_size"))], QStringLiteral("132382720"));

        // The anomaly exports as its plain negative value.
        QVERIFY(view.proxy()->setFilterExpression(QStringLiteral("1007"), nullptr));
        QVERIFY2(view.exportCsv(path, &error), qPrintable(error));
        const QVector<QStringList> skewed = readCsv(path);
        QCOMPARE(skewed.size(), 2);
        QCOMPARE(skewed[1][skew], QStringLiteral("-0.410000"));
    }

    // The window's export runs in the background: it must write exactly what the direct export
    // writes, for any order and filter, and for tables larger than one slice of display rows.
    void orderMatchesQtProxy_data()
    {
        QTest::addColumn<int>("requests"); // 0: the disaggregated sample
        QTest::addColumn<QString>("filter");
        QTest::newRow("sample") << 0 << QString();
        QTest::newRow("sample, filtered") << 0 << QStringLiteral("node0");
        QTest::newRow("small, gaps and ties") << 600 << QString();
        QTest::newRow("background, gaps and ties") << kBackgroundRows + 5000 << QString();
        QTest::newRow("background, filtered") << kBackgroundRows + 5000 << QStringLiteral("e2e > 100");
    }

    // Every column, both orders: the rows the proxy shows (computed by a job for the large
    // tables) are those Qt's sorting proxy showed after a new table, ties and missing values included.
    void orderMatchesQtProxy()
    {
        QFETCH(int, requests);
        QFETCH(QString, filter);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const RequestTable table = requests == 0
                                       ? disaggTable()
                                       : loadInputs({writeGappyArray(QDir(dir.path()), QStringLiteral("gappy.json"), requests, 0.01)}).table;
        QCOMPARE(table.size(), requests == 0 ? disaggTable().size() : requests);
        RequestTableModel model;
        model.setTable(PhaselineTest::snapshotOf(table));
        RequestFilterProxy proxy;
        proxy.setSourceModel(&model);
        QVERIFY(proxy.setFilterExpression(filter, nullptr));
        bool missingSeen = false;
        for (int column = 0; column < model.columnCount(); ++column) {
            for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                proxy.sort(column, order);
                QCOMPARE(proxy.isOrdering(), requests > kBackgroundRows);
                QTRY_VERIFY(!proxy.isOrdering());
                // A fresh one each time: Qt's proxy broke ties by the order it showed before.
                QtProxyOrdering reference(&model, filter);
                reference.sort(column, order);
                const std::vector<int> expected = reference.rows();
                QVERIFY(!expected.empty());
                QVERIFY2(shownRows(proxy) == expected, qPrintable(QStringLiteral("column %1 (%2), %3")
                                                                      .arg(column)
                                                                      .arg(column < 0 ? QString() : model.columnName(column))
                                                                      .arg(order == Qt::AscendingOrder ? QStringLiteral("asc") : QStringLiteral("desc"))));
                if (column >= 0 && model.isNumeric(column) && isMissing(model.number(column, expected.back())))
                    missingSeen = true;
            }
        }
        QVERIFY(missingSeen);
    }

    // A sort asked for on one table and a new table before its job ends: only the new table's
    // order is ever applied, and meanwhile the view keeps its rows and shows the new indicator.
    void newTableDiscardsPendingOrder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QDir where(dir.path());
        const RequestTable first = loadInputs({writeGappyArray(where, QStringLiteral("first.json"), kBackgroundRows + 9000, 0.01)}).table;
        const RequestTable second = loadInputs({writeGappyArray(where, QStringLiteral("second.json"), kBackgroundRows + 2000, 0.03)}).table;
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(first));
        RequestFilterProxy *proxy = view.proxy();
        const int e2e = view.model()->columnForPhase(QStringLiteral("e2e"));
        QVERIFY(e2e >= 0);
        QSignalSpy applied(proxy, &QAbstractItemModel::layoutChanged);

        jobGateOpen = false;
        jobStartHookForTests = &waitForJobGate;
        view.tableView()->sortByColumn(e2e, Qt::DescendingOrder);
        QVERIFY(proxy->isOrdering());
        QCOMPARE(view.tableView()->horizontalHeader()->sortIndicatorSection(), e2e);
        QCOMPARE(view.tableView()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(shownRows(*proxy).front(), 0); // still table order
        view.setTable(PhaselineTest::snapshotOf(second));
        QVERIFY(proxy->isOrdering());
        jobGateOpen = true;
        QTRY_VERIFY(!proxy->isOrdering());
        jobStartHookForTests = nullptr;
        QTest::qWait(50); // a stale delivery, if any, would arrive now

        QCOMPARE(applied.count(), 1);
        QtProxyOrdering reference(view.model(), QString());
        reference.sort(e2e, Qt::DescendingOrder);
        QVERIFY(shownRows(*proxy) == reference.rows());
        QCOMPARE(proxy->rowCount(), second.size());
    }

    void backgroundExportWritesTheSameBytes_data()
    {
        QTest::addColumn<int>("requests"); // 0: the disaggregated sample
        QTest::addColumn<QString>("sortPhase");
        QTest::addColumn<int>("order");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("newTableMeanwhile"); // the export is then of the table shown
        QTest::newRow("sample, table order") << 0 << QString() << int(Qt::AscendingOrder) << QString() << false;
        QTest::newRow("sample, sorted and filtered")
            << 0 << QStringLiteral("ctx_queue") << int(Qt::DescendingOrder) << QStringLiteral("node0") << false;
        QTest::newRow("sample, filtered to nothing")
            << 0 << QString() << int(Qt::AscendingOrder) << QStringLiteral("no-such-server") << false;
        QTest::newRow("sample, then a new table") << 0 << QString() << int(Qt::AscendingOrder) << QString() << true;
        QTest::newRow("slices, sorted by e2e") << 120000 << QStringLiteral("e2e") << int(Qt::AscendingOrder) << QString() << false;
        QTest::newRow("slices, filtered") << 120000 << QString() << int(Qt::AscendingOrder) << QStringLiteral("e2e > 900") << false;
    }

    void backgroundExportWritesTheSameBytes()
    {
        QFETCH(int, requests);
        QFETCH(QString, sortPhase);
        QFETCH(int, order);
        QFETCH(QString, filter);
        QFETCH(bool, newTableMeanwhile);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const RequestTable table =
            requests == 0 ? disaggTable() : loadInputs({PhaselineTest::writeSyntheticArray(QDir(dir.path()), requests)}).table;
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(table));
        if (!sortPhase.isEmpty())
            view.proxy()->sort(view.model()->columnForPhase(sortPhase), Qt::SortOrder(order));
        if (!filter.isEmpty())
            QVERIFY(view.proxy()->setFilterExpression(filter, nullptr));

        const QString background = dir.filePath(QStringLiteral("background.csv"));
        QSignalSpy finished(&view, &RequestTableView::csvExportFinished);
        QSignalSpy progress(&view, &RequestTableView::csvExportProgress);
        view.startCsvExport(background);
        QVERIFY(!QFile::exists(background)); // nothing done before the event loop runs
        if (newTableMeanwhile)
            view.setTable(PhaselineTest::snapshotOf(PhaselineTest::loadOnce(QStringLiteral("trtllm/endpoint_B_agg_server_stamps.json")).table));
        const QString direct = dir.filePath(QStringLiteral("direct.csv"));
        QString error;
        QVERIFY2(view.exportCsv(direct, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toString(), background);
        QCOMPARE(finished.first().at(1).toString(), QString());
        QVERIFY(!view.isExportingCsv());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), progress.last().at(1).toLongLong());
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(view.proxy()->rowCount()));
        QFile a(direct), b(background);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QByteArray expected = a.readAll();
        QCOMPARE(b.readAll(), expected);
        QCOMPARE(expected.count('\n'), 1 + view.proxy()->rowCount());
    }

    void backgroundExportCancels()
    {
        QTemporaryDir dir;
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        const QString path = dir.filePath(QStringLiteral("requests.csv"));
        QSignalSpy finished(&view, &RequestTableView::csvExportFinished);
        QSignalSpy canceled(&view, &RequestTableView::csvExportCanceled);
        view.startCsvExport(path);
        QVERIFY(view.isExportingCsv());
        view.cancelCsvExport();
        QCOMPARE(canceled.size(), 1);
        QCOMPARE(canceled.first().at(0).toString(), path);
        QVERIFY(!view.isExportingCsv());
        QTest::qWait(50);
        backgroundPool()->waitForDone();
        QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 0);
        QVERIFY(!QFile::exists(path));
    }

    void exportCsvFailure()
    {
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("no/such/dir/requests.csv"));
        QString error;
        QVERIFY(!view.exportCsv(path, &error));
        QVERIFY2(error.contains(path), qPrintable(error));
        // The background export says the same at its end.
        QSignalSpy finished(&view, &RequestTableView::csvExportFinished);
        view.startCsvExport(path);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(1).toString(), error);
    }

    void screenshot()
    {
        RequestSelection selection;
        RequestTableView view(&selection);
        view.setTable(PhaselineTest::snapshotOf(disaggTable()));
        view.resize(1200, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // As a click on the header does: the indicator drives the sort.
        view.tableView()->horizontalHeader()->setSortIndicator(
            view.model()->columnForPhase(QStringLiteral("disagg_preprocessing")), Qt::AscendingOrder);
        selection.setRows(tableRows(disaggTable(), {1013}));
        const QImage image = view.grab().toImage();
        QCOMPARE(image.size(), QSize(1200, 500));
        QVERIFY(image.save(PhaselineTest::artifactPath(QStringLiteral("requesttable.png")))); // for a human to look at
    }
};

PHASELINE_GUI_TEST_MAIN(TestRequestTable)

#include "tst_requesttable.moc"
