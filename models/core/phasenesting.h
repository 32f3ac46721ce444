#pragma once

#include <algorithm>

namespace Phaseline {

// The one rule for nested phases (PhaseDefinition::children; docs/phase-model.md §2: gen_queue stands
// "in place of its three sub-segments" when they are not recorded): a parent gives way to its
// children only when every one of them is recorded, since only then do they tile it. With one
// missing, the parent is shown and its children are not (they would leave a gap in it, or
// overlap it). The breakdown decides it per request, the timeline per request part, the
// statistics' median stack per scope. `children` identify the parent's children in the caller's
// terms (names, view layers); `recorded(child)` says whether one is recorded.
template <typename Children, typename Recorded>
bool childrenReplaceParent(const Children &children, Recorded &&recorded)
{
    return !children.empty() && std::all_of(children.begin(), children.end(), recorded);
}

} // namespace Phaseline
