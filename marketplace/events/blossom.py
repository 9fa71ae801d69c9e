"""Maximum-weight matching in a general (non-bipartite) graph: Edmonds' blossom algorithm with the
primal-dual method, O(V^3).

Why our own: networkx is not a dependency, and meetings are between any two participants (an
enterprise can meet an enterprise), so the graph is not bipartite and the Hungarian algorithm does not
apply. The structure follows Z. Galil, "Efficient Algorithms for Finding Maximum Matching in Graphs"
(ACM Computing Surveys, 1986) in the array-based formulation popularised by J. van Rantwijk's
reference implementation; tests compare it with brute force on random graphs.

Weights must be integers: all arithmetic then stays exact (vertex duals are kept doubled, and every
vertex labelled in a stage shares the parity of the free vertices' common dual, so an S-S slack is
always even). The scheduler scales its scores to integers before calling this.

Vertices are 0..n-1; an edge list holds (i, j, weight) with at most one edge per pair and no loops.
Edges of weight <= 0 never help a maximum-weight matching and are ignored by callers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

FREE, S_LABEL, T_LABEL, BREADCRUMB = 0, 1, 2, 5


def max_weight_matching(edges: Sequence[tuple[int, int, int]]) -> list[int]:
    """Return mate: mate[v] is v's partner or -1. Maximises total weight (not cardinality)."""
    if not edges:
        return []
    nvertex = 1 + max(max(i, j) for i, j, _ in edges)
    nedge = len(edges)
    maxweight = max(0, max(w for _, _, w in edges))

    # endpoint[p] is the vertex at end p of edge p // 2; p ^ 1 is the other end of the same edge.
    endpoint = [edges[p // 2][p % 2] for p in range(2 * nedge)]
    # neighbend[v]: the remote ends p of the edges touching v.
    neighbend: list[list[int]] = [[] for _ in range(nvertex)]
    for k, (i, j, _) in enumerate(edges):
        if i == j:
            raise ValueError("self-loop in matching input")
        neighbend[i].append(2 * k + 1)
        neighbend[j].append(2 * k)

    mate = [-1] * nvertex  # remote endpoint p of v's matched edge, or -1
    # Blossoms: ids 0..n-1 are the trivial blossoms (single vertices), n..2n-1 non-trivial ones.
    label = [FREE] * (2 * nvertex)
    labelend = [-1] * (2 * nvertex)  # endpoint through which a top-level blossom got its label
    inblossom = list(range(nvertex))  # top-level blossom containing each vertex
    blossomparent = [-1] * (2 * nvertex)
    blossomchilds: list[list[int] | None] = [None] * (2 * nvertex)
    blossombase = list(range(nvertex)) + [-1] * nvertex
    blossomendps: list[list[int] | None] = [None] * (2 * nvertex)
    bestedge = [-1] * (2 * nvertex)  # least-slack edge to a different S-blossom (or from a free vertex)
    blossombestedges: list[list[int] | None] = [None] * (2 * nvertex)
    unusedblossoms = list(range(nvertex, 2 * nvertex))
    dualvar = [maxweight] * nvertex + [0] * nvertex  # vertex duals doubled; blossom duals as is
    allowedge = [False] * nedge  # edge known to have zero slack this stage
    queue: list[int] = []  # S-vertices whose edges are still to scan

    def slack(k: int) -> int:
        i, j, w = edges[k]
        return dualvar[i] + dualvar[j] - 2 * w

    def leaves(b: int) -> Iterator[int]:
        if b < nvertex:
            yield b
            return
        for t in blossomchilds[b]:
            if t < nvertex:
                yield t
            else:
                yield from leaves(t)

    def assign_label(w: int, t: int, p: int) -> None:
        b = inblossom[w]
        label[w] = label[b] = t
        labelend[w] = labelend[b] = p
        bestedge[w] = bestedge[b] = -1
        if t == S_LABEL:
            queue.extend(leaves(b))
        else:
            # A T-blossom's base is matched; its mate becomes S.
            base = blossombase[b]
            assign_label(endpoint[mate[base]], S_LABEL, mate[base] ^ 1)

    def scan_blossom(v: int, w: int) -> int:
        """Trace back from v and w; return the base of a new blossom, or -1 for an augmenting path."""
        path = []
        base = -1
        while v != -1 or w != -1:
            b = inblossom[v]
            if label[b] & 4:
                base = blossombase[b]
                break
            path.append(b)
            label[b] = BREADCRUMB
            if labelend[b] == -1:
                v = -1  # reached a root
            else:
                v = endpoint[labelend[b]]
                b = inblossom[v]
                v = endpoint[labelend[b]]  # through the T-blossom to the next S-blossom
            if w != -1:
                v, w = w, v
        for b in path:
            label[b] = S_LABEL
        return base

    def add_blossom(base: int, k: int) -> None:
        v, w, _ = edges[k]
        bb = inblossom[base]
        bv = inblossom[v]
        bw = inblossom[w]
        b = unusedblossoms.pop()
        blossombase[b] = base
        blossomparent[b] = -1
        blossomparent[bb] = b
        path: list[int] = []
        endps: list[int] = []
        while bv != bb:
            blossomparent[bv] = b
            path.append(bv)
            endps.append(labelend[bv])
            v = endpoint[labelend[bv]]
            bv = inblossom[v]
        path.append(bb)
        path.reverse()
        endps.reverse()
        endps.append(2 * k)
        while bw != bb:
            blossomparent[bw] = b
            path.append(bw)
            endps.append(labelend[bw] ^ 1)
            w = endpoint[labelend[bw]]
            bw = inblossom[w]
        blossomchilds[b] = path
        blossomendps[b] = endps
        label[b] = S_LABEL
        labelend[b] = labelend[bb]
        dualvar[b] = 0
        for leaf in leaves(b):
            if label[inblossom[leaf]] == T_LABEL:
                # Former T-vertices are S now: their edges need scanning.
                queue.append(leaf)
            inblossom[leaf] = b
        # Least-slack edges from the new blossom to each neighbouring S-blossom.
        bestedgeto = [-1] * (2 * nvertex)
        for sub in path:
            if blossombestedges[sub] is None:
                nblists = [[p // 2 for p in neighbend[leaf]] for leaf in leaves(sub)]
            else:
                nblists = [blossombestedges[sub]]
            for nblist in nblists:
                for kk in nblist:
                    i, j, _ = edges[kk]
                    if inblossom[j] == b:
                        i, j = j, i
                    bj = inblossom[j]
                    if bj != b and label[bj] == S_LABEL and (
                            bestedgeto[bj] == -1 or slack(kk) < slack(bestedgeto[bj])):
                        bestedgeto[bj] = kk
            blossombestedges[sub] = None
            bestedge[sub] = -1
        blossombestedges[b] = [kk for kk in bestedgeto if kk != -1]
        bestedge[b] = -1
        for kk in blossombestedges[b]:
            if bestedge[b] == -1 or slack(kk) < slack(bestedge[b]):
                bestedge[b] = kk

    def expand_blossom(b: int, endstage: bool) -> None:
        for s in blossomchilds[b]:
            blossomparent[s] = -1
            if s < nvertex:
                inblossom[s] = s
            elif endstage and dualvar[s] == 0:
                expand_blossom(s, endstage)
            else:
                for leaf in leaves(s):
                    inblossom[leaf] = s
        if not endstage and label[b] == T_LABEL:
            # Relabel the sub-blossoms on the even-length path from the entry child to the base.
            childs = blossomchilds[b]
            endps = blossomendps[b]
            entrychild = inblossom[endpoint[labelend[b] ^ 1]]
            j = childs.index(entrychild)
            if j & 1:
                j -= len(childs)
                jstep, endptrick = 1, 0
            else:
                jstep, endptrick = -1, 1
            p = labelend[b]
            while j != 0:
                label[endpoint[p ^ 1]] = FREE
                label[endpoint[endps[j - endptrick] ^ endptrick ^ 1]] = FREE
                assign_label(endpoint[p ^ 1], T_LABEL, p)
                allowedge[endps[j - endptrick] // 2] = True
                j += jstep
                p = endps[j - endptrick] ^ endptrick
                allowedge[p // 2] = True
                j += jstep
            # The base sub-blossom becomes T without passing the label on to its mate.
            bv = childs[j]
            label[endpoint[p ^ 1]] = label[bv] = T_LABEL
            labelend[endpoint[p ^ 1]] = labelend[bv] = p
            bestedge[bv] = -1
            j += jstep
            while childs[j] != entrychild:
                bv = childs[j]
                if label[bv] == S_LABEL:
                    j += jstep
                    continue
                reached = -1
                for leaf in leaves(bv):
                    if label[leaf] != FREE:
                        reached = leaf
                        break
                if reached != -1:
                    # Reachable from an S-vertex outside: becomes a T-blossom.
                    label[reached] = FREE
                    label[endpoint[mate[blossombase[bv]]]] = FREE
                    assign_label(reached, T_LABEL, labelend[reached])
                j += jstep
        label[b] = labelend[b] = -1
        blossomchilds[b] = blossomendps[b] = None
        blossombase[b] = -1
        blossombestedges[b] = None
        bestedge[b] = -1
        unusedblossoms.append(b)

    def augment_blossom(b: int, v: int) -> None:
        """Swap matched/unmatched edges inside b along the path from v to the base; v becomes base."""
        t = v
        while blossomparent[t] != b:
            t = blossomparent[t]
        if t >= nvertex:
            augment_blossom(t, v)
        childs = blossomchilds[b]
        endps = blossomendps[b]
        i = j = childs.index(t)
        if i & 1:
            j -= len(childs)
            jstep, endptrick = 1, 0
        else:
            jstep, endptrick = -1, 1
        while j != 0:
            j += jstep
            t = childs[j]
            p = endps[j - endptrick] ^ endptrick
            if t >= nvertex:
                augment_blossom(t, endpoint[p])
            j += jstep
            t = childs[j]
            if t >= nvertex:
                augment_blossom(t, endpoint[p ^ 1])
            mate[endpoint[p]] = p ^ 1
            mate[endpoint[p ^ 1]] = p
        blossomchilds[b] = childs[i:] + childs[:i]
        blossomendps[b] = endps[i:] + endps[:i]
        blossombase[b] = blossombase[blossomchilds[b][0]]

    def augment_matching(k: int) -> None:
        v, w, _ = edges[k]
        for s, p in ((v, 2 * k + 1), (w, 2 * k)):
            while True:
                bs = inblossom[s]
                if bs >= nvertex:
                    augment_blossom(bs, s)
                mate[s] = p
                if labelend[bs] == -1:
                    break  # reached a root: the path ends here
                t = endpoint[labelend[bs]]
                bt = inblossom[t]
                s = endpoint[labelend[bt]]
                j = endpoint[labelend[bt] ^ 1]
                if bt >= nvertex:
                    augment_blossom(bt, j)
                mate[j] = labelend[bt]
                p = labelend[bt] ^ 1

    for _stage in range(nvertex):
        label[:] = [FREE] * (2 * nvertex)
        bestedge[:] = [-1] * (2 * nvertex)
        blossombestedges[nvertex:] = [None] * nvertex
        allowedge[:] = [False] * nedge
        queue[:] = []
        for v in range(nvertex):
            if mate[v] == -1 and label[inblossom[v]] == FREE:
                assign_label(v, S_LABEL, -1)
        augmented = False
        while True:
            while queue and not augmented:
                v = queue.pop()
                for p in neighbend[v]:
                    k = p // 2
                    w = endpoint[p]
                    if inblossom[v] == inblossom[w]:
                        continue  # internal to a blossom
                    kslack = 0
                    if not allowedge[k]:
                        kslack = slack(k)
                        if kslack <= 0:
                            allowedge[k] = True
                    if allowedge[k]:
                        if label[inblossom[w]] == FREE:
                            assign_label(w, T_LABEL, p ^ 1)
                        elif label[inblossom[w]] == S_LABEL:
                            base = scan_blossom(v, w)
                            if base >= 0:
                                add_blossom(base, k)
                            else:
                                augment_matching(k)
                                augmented = True
                                break
                        elif label[w] == FREE:
                            # w sits inside a T-blossom: remember how it was reached for a later expansion.
                            label[w] = T_LABEL
                            labelend[w] = p ^ 1
                    elif label[inblossom[w]] == S_LABEL:
                        b = inblossom[v]
                        if bestedge[b] == -1 or kslack < slack(bestedge[b]):
                            bestedge[b] = k
                    elif label[w] == FREE:
                        if bestedge[w] == -1 or kslack < slack(bestedge[w]):
                            bestedge[w] = k
            if augmented:
                break

            # No augmenting path with the current duals: change the duals by the largest safe delta.
            deltatype = 1
            delta = min(dualvar[:nvertex])
            deltaedge = deltablossom = -1
            for v in range(nvertex):
                if label[inblossom[v]] == FREE and bestedge[v] != -1:
                    d = slack(bestedge[v])
                    if d < delta:
                        delta, deltatype, deltaedge = d, 2, bestedge[v]
            for b in range(2 * nvertex):
                if blossomparent[b] == -1 and label[b] == S_LABEL and bestedge[b] != -1:
                    kslack = slack(bestedge[b])
                    d = kslack // 2  # even: see the module docstring
                    if d < delta:
                        delta, deltatype, deltaedge = d, 3, bestedge[b]
            for b in range(nvertex, 2 * nvertex):
                if (blossombase[b] >= 0 and blossomparent[b] == -1 and label[b] == T_LABEL
                        and dualvar[b] < delta):
                    delta, deltatype, deltablossom = dualvar[b], 4, b

            for v in range(nvertex):
                lab = label[inblossom[v]]
                if lab == S_LABEL:
                    dualvar[v] -= delta
                elif lab == T_LABEL:
                    dualvar[v] += delta
            for b in range(nvertex, 2 * nvertex):
                if blossombase[b] >= 0 and blossomparent[b] == -1:
                    if label[b] == S_LABEL:
                        dualvar[b] += delta
                    elif label[b] == T_LABEL:
                        dualvar[b] -= delta

            if deltatype == 1:
                break  # a free vertex's dual reached zero: the matching is optimal
            if deltatype == 2:
                allowedge[deltaedge] = True
                i, j, _ = edges[deltaedge]
                if label[inblossom[i]] == FREE:
                    i, j = j, i
                queue.append(i)
            elif deltatype == 3:
                allowedge[deltaedge] = True
                i, _, _ = edges[deltaedge]
                queue.append(i)
            else:
                expand_blossom(deltablossom, False)

        if not augmented:
            break
        # End of stage: S-blossoms whose dual fell to zero are expanded.
        for b in range(nvertex, 2 * nvertex):
            if blossomparent[b] == -1 and blossombase[b] >= 0 and label[b] == S_LABEL and dualvar[b] == 0:
                expand_blossom(b, True)

    return [endpoint[mate[v]] if mate[v] >= 0 else -1 for v in range(nvertex)]
