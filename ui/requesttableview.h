#pragma once

#include <QWidget>

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

    // Writes the visible rows (filtered, in display order) with a header of column names.
    bool exportCsv(const QString &path, QString *error) const;

private:
    void applyFilter();
    void showFilterError(const QString &error);
    void updateCount();
    void fitColumns();
    void onViewSelectionChanged();
    void showSharedSelection();

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
};

} // namespace Phaseline
