#pragma once

#include <QWidget>

class QAction;
class QVBoxLayout;

namespace Phaseline {

// What the window shows before anything is open: the ways in (the File menu's own
// actions), the bundled example and the recent inputs with their sizes, each one click away.
class StartPage : public QWidget
{
    Q_OBJECT
public:
    // `actions`: open file, open directory, connect to server, watch directory.
    explicit StartPage(const QList<QAction *> &actions, QWidget *parent = nullptr);

    void setRecent(const QStringList &paths);

    // The example installed with the package (../share/phaseline/examples beside the
    // executable, or a data directory), else the source tree's; empty if none is found.
    static QString bundledExamplePath();

Q_SIGNALS:
    void openRequested(const QStringList &inputs);

private:
    QVBoxLayout *m_recentLayout;
};

} // namespace Phaseline
