/* Maximum-weight b-matching of mentees to mentors by successive shortest paths.
 *
 * The flow network of pairing/b_matching.py: every mentee supplies one unit, which
 * reaches the sink T through a mentor (arc cost -c; the mentor's arc to T carries its
 * capacity) or directly (cost 0: stays unmatched). Node potentials p keep every
 * residual arc's reduced cost cost(u,v) + p[u] - p[v] non-negative; each unassigned
 * mentee is sent, in index order, along a shortest path (Dijkstra on reduced costs) to
 * the nearest node still short of flow, and the potentials of the nodes settled before
 * it move by their distance, so the path's arcs become tight (the Hungarian method's
 * update, touching only the settled nodes).
 *
 * Warm start: the caller may give every mentor a price (a potential from an earlier,
 * similar solve). A mentor priced below the sink starts with its arc to T full (it is
 * then short of as many units as it has room), so the mentees that wanted it in the
 * earlier solve find it at once; as many of the most expensive ones as mentees can fill
 * are taken that way, the rest start at the sink's potential. The caller may also give
 * each mentee's earlier mentor: where that pair is still tight and the mentor short of
 * flow (or has room at the sink's potential), the mentee takes it at once, a shortest
 * path of length 0, so only the mentees that a new arc draws elsewhere are searched
 * for. Every search still ends at a node short of flow, so the result is an optimal
 * flow whatever the prices and hints were: they only change how far the searches go.
 *
 * Deterministic: the mentees in index order, each mentee's arcs in the order given,
 * ties in the heap broken by node index. Plain C with Python's buffer protocol (no
 * NumPy headers needed to build it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef int64_t i64;

enum { NONE = -1, TO_SINK = -2 };
/* how a node was reached on the shortest-path tree */
enum { BY_ARC = 0, BY_BACK = 1, BY_SINK = 2, SINK_TO_MENTOR = 3, SINK_TO_MENTEE = 4, MENTOR_TO_SINK = 5 };

typedef struct {
    i64 key; /* distance * 2 + (0 if the node is short of flow) */
    int32_t node;
} Entry;

typedef struct {
    Entry *items;
    i64 size;
} Heap;

static inline int entry_less(Entry a, Entry b) {
    return a.key < b.key || (a.key == b.key && a.node < b.node);
}

static void heap_push(Heap *h, i64 key, int32_t node) {
    i64 at = h->size++;
    Entry e = {key, node};
    while (at > 0) {
        i64 up = (at - 1) / 2;
        if (!entry_less(e, h->items[up])) break;
        h->items[at] = h->items[up];
        at = up;
    }
    h->items[at] = e;
}

static Entry heap_pop(Heap *h) {
    Entry top = h->items[0];
    Entry last = h->items[--h->size];
    i64 at = 0, n = h->size;
    for (;;) {
        i64 child = 2 * at + 1;
        if (child >= n) break;
        if (child + 1 < n && entry_less(h->items[child + 1], h->items[child])) child++;
        if (!entry_less(h->items[child], last)) break;
        h->items[at] = h->items[child];
        at = child;
    }
    if (n > 0) h->items[at] = last;
    return top;
}

typedef struct {
    i64 mentees, mentors, sink;
    const i64 *start, *mentor, *cost, *capacity;
    i64 *arc_of;   /* per mentee: the arc it takes, NONE or TO_SINK */
    i64 *pot;      /* per node */
    i64 *flow_out; /* per mentor: flow on its arc to the sink */
    i64 *count;    /* per mentor: mentees assigned */
    i64 *first, *next, *prev; /* per mentor, a list of its mentees */
    i64 to_sink, into_sink;   /* mentees sent straight to T; flow on all mentor->T arcs */
    i64 *unmatched, *unmatched_at; /* the mentees sent straight to T, and where each is */
    /* search state */
    i64 *dist, *seen, *done, *how, *via, *from, *settled;
    i64 stamp, settled_count, relaxed;
    Heap heap;
} Solver;

static inline i64 node_of_mentor(const Solver *s, i64 r) { return s->mentees + r; }

static inline int short_of_flow(const Solver *s, i64 v) {
    if (v == s->sink) return s->mentees - s->into_sink - s->to_sink > 0;
    if (v >= s->mentees) {
        i64 r = v - s->mentees;
        return s->flow_out[r] > s->count[r];
    }
    return 0;
}

static inline void relax(Solver *s, i64 v, i64 d, int how, i64 via, i64 from) {
    s->relaxed++;
    if (s->done[v] == s->stamp) return;
    if (s->seen[v] == s->stamp && s->dist[v] <= d) return;
    s->seen[v] = s->stamp;
    s->dist[v] = d;
    s->how[v] = how;
    s->via[v] = via;
    s->from[v] = from;
    heap_push(&s->heap, d * 2 + (short_of_flow(s, v) ? 0 : 1), (int32_t)v);
}

static void unlink_mentee(Solver *s, i64 r, i64 e) {
    if (s->prev[e] >= 0) s->next[s->prev[e]] = s->next[e];
    else s->first[r] = s->next[e];
    if (s->next[e] >= 0) s->prev[s->next[e]] = s->prev[e];
    s->count[r]--;
}

static void to_sink(Solver *s, i64 e) {
    s->arc_of[e] = TO_SINK;
    s->unmatched_at[e] = s->to_sink;
    s->unmatched[s->to_sink++] = e;
}

static void from_sink(Solver *s, i64 e) {
    i64 last = s->unmatched[--s->to_sink], at = s->unmatched_at[e];
    s->unmatched[at] = last;
    s->unmatched_at[last] = at;
    s->arc_of[e] = NONE;
}

static void link_mentee(Solver *s, i64 r, i64 e) {
    s->prev[e] = -1;
    s->next[e] = s->first[r];
    if (s->first[r] >= 0) s->prev[s->first[r]] = e;
    s->first[r] = e;
    s->count[r]++;
}

/* Sends the unit of unassigned mentee `source` along a shortest path. */
static int route(Solver *s, i64 source, i64 *path) {
    s->stamp++;
    s->heap.size = 0;
    s->settled_count = 0;
    relax(s, source, 0, BY_ARC, -1, -1);
    i64 target = -1;
    const i64 T = s->sink;
    while (s->heap.size > 0) {
        Entry top = heap_pop(&s->heap);
        i64 v = top.node;
        if (s->done[v] == s->stamp || top.key != s->dist[v] * 2 + (short_of_flow(s, v) ? 0 : 1))
            continue;
        s->done[v] = s->stamp;
        s->settled[s->settled_count++] = v;
        i64 dv = s->dist[v];
        if (v != source && short_of_flow(s, v)) {
            target = v;
            break;
        }
        if (v < s->mentees) { /* a mentee: its arcs not in use, and the sink */
            i64 held = s->arc_of[v];
            for (i64 k = s->start[v]; k < s->start[v + 1]; k++) {
                if (k == held) continue;
                i64 w = node_of_mentor(s, s->mentor[k]);
                i64 rc = -s->cost[k] + s->pot[v] - s->pot[w];
                relax(s, w, dv + rc, BY_ARC, k, v);
            }
            if (held != TO_SINK) relax(s, T, dv + s->pot[v] - s->pot[T], BY_SINK, -1, v);
        } else if (v < T) { /* a mentor: back to its mentees, on to the sink */
            i64 r = v - s->mentees;
            for (i64 e = s->first[r]; e >= 0; e = s->next[e]) {
                i64 k = s->arc_of[e];
                relax(s, e, dv + s->cost[k] + s->pot[v] - s->pot[e], BY_BACK, k, v);
            }
            if (s->flow_out[r] < s->capacity[r])
                relax(s, T, dv + s->pot[v] - s->pot[T], MENTOR_TO_SINK, r, v);
        } else { /* the sink: back along every arc into it that carries flow */
            for (i64 r = 0; r < s->mentors; r++)
                if (s->flow_out[r] > 0) {
                    i64 w = node_of_mentor(s, r);
                    relax(s, w, dv + s->pot[T] - s->pot[w], SINK_TO_MENTOR, r, T);
                }
            for (i64 i = 0; i < s->to_sink; i++) {
                i64 e = s->unmatched[i];
                relax(s, e, dv + s->pot[T] - s->pot[e], SINK_TO_MENTEE, -1, T);
            }
        }
    }
    if (target < 0) return -1; /* cannot happen: the sink or a mentor is always short */
    i64 dt = s->dist[target];
    for (i64 i = 0; i < s->settled_count; i++) {
        i64 v = s->settled[i];
        s->pot[v] += s->dist[v] - dt;
    }
    /* the path, source first, then applied in that order (a mentee leaves its old
     * mentor before it joins the new one) */
    i64 length = 0;
    for (i64 v = target; v != source; v = s->from[v]) path[length++] = v;
    for (i64 i = length - 1; i >= 0; i--) {
        i64 v = path[i];
        switch (s->how[v]) {
        case BY_ARC: {
            i64 k = s->via[v], e = s->from[v];
            s->arc_of[e] = k;
            link_mentee(s, s->mentor[k], e);
            break;
        }
        case BY_BACK: {
            i64 k = s->via[v];
            unlink_mentee(s, s->mentor[k], v);
            s->arc_of[v] = NONE;
            break;
        }
        case BY_SINK:
            to_sink(s, s->from[v]);
            break;
        case SINK_TO_MENTEE:
            from_sink(s, v);
            break;
        case SINK_TO_MENTOR:
            s->flow_out[s->via[v]]--;
            s->into_sink--;
            break;
        case MENTOR_TO_SINK:
            s->flow_out[s->via[v]]++;
            s->into_sink++;
            break;
        }
    }
    return 0;
}

static const i64 *sort_prices; /* for qsort; set and used with the GIL held */
static int compare_price(const void *a, const void *b) {
    i64 x = *(const i64 *)a, y = *(const i64 *)b;
    if (sort_prices[x] != sort_prices[y]) return sort_prices[x] < sort_prices[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/* Takes a C-contiguous buffer of int64 values from each of `n` objects, writable where
 * `writable` has a 'w'; returns how many it holds (all, or -1 after releasing them). */
static int get_buffers(PyObject **objects, Py_buffer *views, int n, const char *writable,
                       const char *const *names) {
    for (int i = 0; i < n; i++) {
        int flags = (writable[i] == 'w' ? PyBUF_WRITABLE : 0) | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT;
        int ok = PyObject_GetBuffer(objects[i], &views[i], flags) == 0;
        if (ok) {
            const char *format = views[i].format ? views[i].format : "B";
            if (*format == '<' || *format == '=' || *format == '@') format++;
            ok = (*format == 'l' || *format == 'q') && format[1] == 0 && views[i].itemsize == 8;
            if (!ok) {
                PyErr_Format(PyExc_ValueError, "%s: expected int64 values", names[i]);
                PyBuffer_Release(&views[i]);
            }
        }
        if (!ok) {
            while (i-- > 0) PyBuffer_Release(&views[i]);
            return -1;
        }
    }
    return n;
}

/* The lengths the values must have (-1: any); sets a ValueError and returns -1 if not. */
static int check_lengths(const Py_buffer *views, const i64 *lengths, int n,
                         const char *const *names) {
    for (int i = 0; i < n; i++)
        if (lengths[i] >= 0 && views[i].len != lengths[i] * 8) {
            PyErr_Format(PyExc_ValueError, "%s: expected %lld int64 values", names[i],
                         (long long)lengths[i]);
            return -1;
        }
    return 0;
}

PyDoc_STRVAR(solve_doc,
"solve(start, mentor, cost, capacity, price, hint, arc_of, budget)\n"
"\n"
"Optimal b-matching on arcs given by mentee (CSR ``start``, ``mentor``, ``cost``;\n"
"int64, costs positive, higher is better). ``price``: a starting potential per mentor\n"
"(zeros for a cold start); ``hint``: each mentee's earlier mentor (-1: none, -2: no\n"
"hint). Writes the arc each mentee takes (-1: none; the caller certifies the flow\n"
"with Bellman-Ford potentials of its own); returns the number of arcs relaxed, or -1\n"
"once more than ``budget`` (when positive) were relaxed, ``arc_of`` then unwritten.");

static PyObject *py_solve(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o[7];
    long long budget;
    if (!PyArg_ParseTuple(args, "OOOOOOOL", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6], &budget))
        return NULL;
    Py_buffer b[7];
    int held = 0;
    PyObject *result = NULL;
    Solver s;
    memset(&s, 0, sizeof s);
    i64 *path = NULL, *order = NULL;
    static const char *const names[7] = {"start", "mentor", "cost", "capacity", "price",
                                         "hint", "arc_of"};
    if ((held = get_buffers(o, b, 7, "......w", names)) < 0) {
        held = 0;
        goto done;
    }
    i64 mentees = b[0].len / 8 - 1, arcs = b[1].len / 8, mentors = b[3].len / 8;
    if (mentees < 0) {
        PyErr_SetString(PyExc_ValueError, "start: empty");
        goto done;
    }
    const i64 lengths[7] = {-1, -1, arcs, -1, mentors, mentees, mentees};
    if (check_lengths(b, lengths, 7, names) < 0) goto done;

    s.mentees = mentees;
    s.mentors = mentors;
    s.sink = mentees + mentors;
    s.start = b[0].buf;
    s.mentor = b[1].buf;
    s.cost = b[2].buf;
    s.capacity = b[3].buf;
    const i64 *price = b[4].buf;
    if (s.start[0] != 0 || s.start[mentees] != arcs) {
        PyErr_SetString(PyExc_ValueError, "start: not the offsets of the arcs");
        goto done;
    }
    for (i64 e = 0; e < mentees; e++)
        if (s.start[e] > s.start[e + 1]) { PyErr_SetString(PyExc_ValueError, "start: decreasing"); goto done; }
    for (i64 k = 0; k < arcs; k++)
        if (s.mentor[k] < 0 || s.mentor[k] >= mentors || s.cost[k] <= 0) {
            PyErr_SetString(PyExc_ValueError, "arcs: a mentor out of range or a cost not positive");
            goto done;
        }
    i64 nodes = s.sink + 1;
    if (nodes >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "too many mentees and mentors");
        goto done;
    }
    i64 *block = calloc((size_t)(mentees * 5 + mentors * 3 + nodes * 8 + 1), sizeof(i64));
    s.heap.items = malloc((size_t)(arcs + 4 * nodes + 1) * sizeof(Entry));
    path = malloc((size_t)(nodes + 1) * sizeof(i64));
    order = malloc((size_t)(mentors + 1) * sizeof(i64));
    if (!block || !s.heap.items || !path || !order) {
        free(block);
        PyErr_NoMemory();
        goto done;
    }
    i64 *at = block;
    s.arc_of = at; at += mentees;
    s.next = at; at += mentees;
    s.prev = at; at += mentees;
    s.unmatched = at; at += mentees;
    s.unmatched_at = at; at += mentees;
    s.flow_out = at; at += mentors;
    s.count = at; at += mentors;
    s.first = at; at += mentors;
    s.pot = at; at += nodes;
    s.dist = at; at += nodes;
    s.seen = at; at += nodes;
    s.done = at; at += nodes;
    s.how = at; at += nodes;
    s.via = at; at += nodes;
    s.from = at; at += nodes;
    s.settled = at; at += nodes;

    const i64 T = s.sink;
    /* the most expensive mentors (lowest price) start full, as many as mentees fill */
    for (i64 r = 0; r < mentors; r++) {
        order[r] = r;
        s.first[r] = -1;
    }
    sort_prices = price;
    qsort(order, (size_t)mentors, sizeof(i64), compare_price);
    i64 room = mentees;
    for (i64 i = 0; i < mentors; i++) {
        i64 r = order[i], w = node_of_mentor(&s, r);
        i64 cap = s.capacity[r] > 0 ? s.capacity[r] : 0;
        if (price[r] < 0 && cap > 0 && cap <= room) {
            s.pot[w] = price[r];
            s.flow_out[r] = cap;
            s.into_sink += cap;
            room -= cap;
        } else {
            s.pot[w] = price[r] > 0 ? price[r] : 0;
        }
    }
    s.pot[T] = 0;
    for (i64 e = 0; e < mentees; e++) {
        i64 best = 0;
        for (i64 k = s.start[e]; k < s.start[e + 1]; k++) {
            i64 v = s.cost[k] + s.pot[node_of_mentor(&s, s.mentor[k])];
            if (v > best) best = v;
        }
        s.pot[e] = best;
        s.arc_of[e] = NONE;
        s.next[e] = s.prev[e] = -1;
    }
    /* the earlier solve's pairs that are still on a shortest path: taken at once */
    const i64 *hint = b[5].buf;
    for (i64 e = 0; e < mentees; e++) {
        i64 h = hint[e];
        if (h == -1 && s.pot[e] == s.pot[T] && short_of_flow(&s, T)) {
            to_sink(&s, e);
            continue;
        }
        if (h < 0 || h >= mentors) continue;
        i64 w = node_of_mentor(&s, h);
        for (i64 k = s.start[e]; k < s.start[e + 1]; k++) {
            if (s.mentor[k] != h || s.cost[k] + s.pot[w] != s.pot[e]) continue;
            if (short_of_flow(&s, w)) {
                s.arc_of[e] = k;
                link_mentee(&s, h, e);
            } else if (s.flow_out[h] < s.capacity[h] && s.pot[w] == s.pot[T] && short_of_flow(&s, T)) {
                s.arc_of[e] = k;
                link_mentee(&s, h, e);
                s.flow_out[h]++;
                s.into_sink++;
            }
            break;
        }
    }
    int lost = 0;
    Py_BEGIN_ALLOW_THREADS
    for (i64 e = 0; e < mentees && !lost; e++) {
        if (s.arc_of[e] != NONE) continue;
        if (budget > 0 && s.relaxed > budget) break;
        lost = route(&s, e, path) < 0;
    }
    Py_END_ALLOW_THREADS
    if (lost) {
        free(block);
        PyErr_SetString(PyExc_RuntimeError, "no shortest path: the flow network is inconsistent");
        goto done;
    }
    if (budget > 0 && s.relaxed > budget) {
        free(block);
        result = PyLong_FromLongLong(-1);
        goto done;
    }
    i64 *arc_out = b[6].buf;
    for (i64 e = 0; e < mentees; e++) arc_out[e] = s.arc_of[e] >= 0 ? s.arc_of[e] : -1;
    free(block);
    result = PyLong_FromLongLong(s.relaxed);
done:
    free(s.heap.items);
    free(path);
    free(order);
    for (int i = 0; i < held; i++) PyBuffer_Release(&b[i]);
    return result;
}

PyDoc_STRVAR(distances_doc,
"distances(tail, head, weight, distance) -> bool\n"
"\n"
"Shortest distances from a virtual source joined to every node at cost 0 (so all start\n"
"at 0), over the arcs tail -> head (int64 weights, negative allowed): Bellman-Ford with a\n"
"queue of the nodes whose distance fell. ``distance`` (one int64 per node, zeros on\n"
"entry) is written; returns False, distances unfinished, on a negative cycle.");

static PyObject *py_distances(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o[4];
    if (!PyArg_ParseTuple(args, "OOOO", &o[0], &o[1], &o[2], &o[3])) return NULL;
    Py_buffer b[4];
    int held = 0;
    PyObject *result = NULL;
    i64 *first = NULL, *next = NULL, *queue = NULL, *passes = NULL;
    char *queued = NULL;
    static const char *const names[4] = {"tail", "head", "weight", "distance"};
    if ((held = get_buffers(o, b, 4, "...w", names)) < 0) {
        held = 0;
        goto done;
    }
    i64 arcs = b[0].len / 8;
    const i64 lengths[4] = {-1, arcs, arcs, -1};
    if (check_lengths(b, lengths, 4, names) < 0) goto done;
    const i64 *tail = b[0].buf, *head = b[1].buf, *weight = b[2].buf;
    i64 *distance = b[3].buf, nodes = b[3].len / 8;
    for (i64 k = 0; k < arcs; k++)
        if (tail[k] < 0 || tail[k] >= nodes || head[k] < 0 || head[k] >= nodes) {
            PyErr_SetString(PyExc_ValueError, "arcs: a node out of range");
            goto done;
        }
    first = malloc((size_t)(nodes + 1) * sizeof(i64));
    next = malloc((size_t)(arcs + 1) * sizeof(i64));
    queue = malloc((size_t)(nodes + 1) * sizeof(i64));
    passes = calloc((size_t)(nodes + 1), sizeof(i64));
    queued = malloc((size_t)(nodes + 1));
    if (!first || !next || !queue || !passes || !queued) {
        PyErr_NoMemory();
        goto done;
    }
    for (i64 v = 0; v < nodes; v++) first[v] = -1;
    for (i64 k = arcs - 1; k >= 0; k--) { /* each node's arcs out, in the order given */
        next[k] = first[tail[k]];
        first[tail[k]] = k;
    }
    /* every node starts in the queue, at 0; a node taken out more often than there are
     * nodes lies on a negative cycle */
    i64 head_at = 0, count = nodes;
    for (i64 v = 0; v < nodes; v++) {
        queue[v] = v;
        queued[v] = 1;
    }
    int cycle = 0;
    Py_BEGIN_ALLOW_THREADS
    while (count > 0 && !cycle) {
        i64 u = queue[head_at];
        head_at = head_at + 1 == nodes ? 0 : head_at + 1;
        count--;
        queued[u] = 0;
        if (++passes[u] > nodes + 1) {
            cycle = 1;
            break;
        }
        i64 du = distance[u];
        for (i64 k = first[u]; k >= 0; k = next[k]) {
            i64 v = head[k], d = du + weight[k];
            if (d < distance[v]) {
                distance[v] = d;
                if (!queued[v]) {
                    queued[v] = 1;
                    i64 at = head_at + count;
                    queue[at >= nodes ? at - nodes : at] = v;
                    count++;
                }
            }
        }
    }
    Py_END_ALLOW_THREADS
    result = PyBool_FromLong(!cycle);
done:
    free(first);
    free(next);
    free(queue);
    free(passes);
    free(queued);
    for (int i = 0; i < held; i++) PyBuffer_Release(&b[i]);
    return result;
}

static PyMethodDef methods[] = {
    {"solve", py_solve, METH_VARARGS, solve_doc},
    {"distances", py_distances, METH_VARARGS, distances_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_assign",
    "Successive shortest paths for the mentorship b-matching (see pairing/b_matching.py).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__assign(void) { return PyModule_Create(&module); }
