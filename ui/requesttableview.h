#pragma once

#include "core/jobtracker.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace Phaseline {

class RequestFilterProxy;
class RequestSelection;
class RequestTable;
class RequestTableModel;

// The request table: a filter box, a "N of M requests" count and a sortable table of
// every request. Its row selection and the shared RequestSelection follow each other.
class RequestTableView : public QWidget
{
    Q_OBJECT
public:
    explicit RequestTableView(RequestSelection *selection, QWidget *parent = nullptr);
    ~RequestTableView() override;

    // nullptr empties the view. The filter text is re-applied to the new columns.
    void setTable(std::shared_ptr<const RequestTable> table);

    QTableView *tableView() const { return m_view; }
    RequestFilterProxy *proxy() const { return m_proxy; }
    RequestTableModel *model() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filterEdit; }
    QString countText() const;

    // Writes the visible rows (filtered, in display order) with a header of column names,
    // on this thread (tests, small tables), after the order being computed, if any.
    bool exportCsv(const QString &path, QString *error) const;
    // The same export without holding up the window: the display order is read in slices
    // between events, the file written by a background job from the table snapshot.
    // csvExportProgress() reports written rows; csvExportFinished() ends it (error empty on
    // success), or csvExportCanceled() after cancelCsvExport() or a newer export.
    void startCsvExport(const QString &path);
    void cancelCsvExport();
    bool isExportingCsv() const;
    // Tests: blocks until the export started last is written and its signal sent.
    void finishCsvExportNow();

Q_SIGNALS:
    void csvExportProgress(qint64 rowsWritten, qint64 rows);
    void csvExportFinished(const QString &path, const QString &error);
    void csvExportCanceled(const QString &path);

private:
    void applyFilter();
    void showFilterError(const QString &error);
    void updateCount();
    void fitColumns();
    void onViewSelectionChanged();
    void showSharedSelection();
    // Maps the next slice of display rows for the export being prepared; starts its job when done.
    void captureExportRows();
    void restartExportCapture();
    struct CsvResult
    {
        QString path;
        QString error;
    };
    void exportDone(CsvResult result);

    RequestSelection *m_selection;
    RequestTableModel *m_model;
    RequestFilterProxy *m_proxy;
    QLineEdit *m_filterEdit;
    QAction *m_filterErrorAction;
    QTimer *m_filterTimer;
    QLabel *m_count;
    QTableView *m_view;
    bool m_syncing = false;     // while the view and the shared selection are being aligned
    bool m_relayouting = false; // between a sort or filter starting and the rows settling

    // The export being prepared (display order read so far) or written (m_export).
    QString m_exportPath;
    std::vector<int> m_exportRows;
    QTimer *m_exportCapture;
    bool m_exportAwaitsOrder = false; // started while the proxy computes an order
    QTimer *m_exportProgressTimer;
    qint64 m_exportTotal = 0;
    std::shared_ptr<std::atomic<qint64>> m_exportWritten;
    JobTracker<CsvResult> m_export;
};

} // namespace Phaseline
