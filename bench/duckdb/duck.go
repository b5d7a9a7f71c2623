package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" database/sql driver
)

// The four analyses in DuckDB's SQL, over the table events loaded from the
// export. Each computes what the parcours call beside it in parcours.go
// computes, by its own method.

// loadSQL loads the export into an in-memory table with read_csv, with the
// column types given (the file's own, as read_csv would detect them).
const loadSQL = `CREATE TABLE events AS SELECT * FROM read_csv(%s, header = true,
	columns = {'customer_id': 'VARCHAR', 'ts': 'TIMESTAMP', 'channel': 'VARCHAR', 'event': 'VARCHAR', 'converted': 'INTEGER'})`

// funnelSQL is the ordered funnel visit → product → cart → purchase in a
// 7-day window, as funnel.Funnel defines it with its default order
// (ClickHouse windowFunnel): a customer's level is the length of the
// longest chain e1 … ek, ei an event of stage i, t1 ≤ t2 ≤ … ≤ tk ≤ t1 + 7
// days. For a given start e1, taking at each stage the earliest event at
// or after the previous stage's (an ASOF join) gives the chain that goes
// furthest, so the level is the largest, over the stage-1 events, of the
// stages that greedy chain reaches within the window.
const funnelSQL = `
WITH s1 AS (SELECT customer_id AS c, ts AS t FROM events WHERE event = 'visit'),
     s2 AS (SELECT customer_id AS c, ts AS t FROM events WHERE event = 'product'),
     s3 AS (SELECT customer_id AS c, ts AS t FROM events WHERE event = 'cart'),
     s4 AS (SELECT customer_id AS c, ts AS t FROM events WHERE event = 'purchase'),
     c2 AS (SELECT s1.c, s1.t AS t1, s2.t AS t2 FROM s1 ASOF LEFT JOIN s2 ON s1.c = s2.c AND s2.t >= s1.t),
     c3 AS (SELECT c2.*, s3.t AS t3 FROM c2 ASOF LEFT JOIN s3 ON c2.c = s3.c AND s3.t >= c2.t2),
     c4 AS (SELECT c3.*, s4.t AS t4 FROM c3 ASOF LEFT JOIN s4 ON c3.c = s4.c AND s4.t >= c3.t3),
     lv AS (SELECT c, max(1 + coalesce((t2 <= t1 + INTERVAL 7 DAY)::INT, 0)
                            + coalesce((t3 <= t1 + INTERVAL 7 DAY)::INT, 0)
                            + coalesce((t4 <= t1 + INTERVAL 7 DAY)::INT, 0)) AS level
            FROM c4 GROUP BY c)
SELECT count(*) FILTER (WHERE level >= 1), count(*) FILTER (WHERE level >= 2),
       count(*) FILTER (WHERE level >= 3), count(*) FILTER (WHERE level >= 4)
FROM lv`

// transitionsSQL counts, per customer in time order, each event whose
// channel differs from the previous event's: the transitions of the
// channel paths once repeats are collapsed (web, web, app gives web → app).
const transitionsSQL = `
SELECT prev, channel, count(*) FROM (
  SELECT channel, lag(channel) OVER (PARTITION BY customer_id ORDER BY ts) AS prev FROM events)
WHERE prev <> channel
GROUP BY prev, channel ORDER BY prev, channel`

// pathsSQL gives each customer's route: the channels of its events before
// its first purchase (all of them if it never purchased), repeats kept;
// and the ten routes most customers took, ties by route, with how many
// of them purchased and the number of distinct routes.
const pathsSQL = `
WITH g AS (SELECT customer_id, min(ts) FILTER (WHERE event = 'purchase') AS g FROM events GROUP BY customer_id),
     r AS (SELECT e.customer_id,
                  coalesce(string_agg(e.channel, ' > ' ORDER BY e.ts) FILTER (WHERE g.g IS NULL OR e.ts < g.g), '') AS route,
                  bool_or(g.g IS NOT NULL) AS conv
           FROM events e JOIN g USING (customer_id) GROUP BY e.customer_id)
SELECT route, count(*) AS customers, count(*) FILTER (WHERE conv) AS converted, count(*) OVER () AS routes
FROM r GROUP BY route ORDER BY customers DESC, route LIMIT 10`

// attributionSQL gives, for the customers who purchased, the channels of
// their events before the first purchase (their touches; the purchase
// itself is not one), and per channel the conversions credited by first
// touch, last touch and linear attribution (1/n to each of n touches,
// once per occurrence). Customers whose first event is a purchase have no
// touch and credit nothing.
const attributionSQL = `
WITH g AS (SELECT customer_id, min(ts) AS g FROM events WHERE event = 'purchase' GROUP BY customer_id),
     t AS (SELECT e.channel,
                  row_number() OVER (PARTITION BY e.customer_id ORDER BY e.ts) AS i,
                  count(*) OVER (PARTITION BY e.customer_id) AS n
           FROM events e JOIN g USING (customer_id) WHERE e.ts < g.g)
SELECT channel, count(*) FILTER (WHERE i = 1), count(*) FILTER (WHERE i = n), sum(1::DOUBLE / n)
FROM t GROUP BY channel ORDER BY channel`

// runDuckDB loads the export at path into an in-memory DuckDB database and
// runs the four analyses, timing each phase with clock.
func runDuckDB(ctx context.Context, path string, clock *phaseClock) (Answers, error) {
	var a Answers
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return a, fmt.Errorf("duckdb: %w", err)
	}
	defer db.Close()
	// One connection: the table lives in the in-memory database of the
	// connection pool's single connection.
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return a, fmt.Errorf("duckdb: %w", err)
	}
	defer conn.Close()

	quoted := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	clock.start()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(loadSQL, quoted)); err != nil {
		return a, fmt.Errorf("duckdb: load: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT customer_id) FROM events`).Scan(&a.Events, &a.Customers); err != nil {
		return a, fmt.Errorf("duckdb: load: %w", err)
	}
	clock.stop(phaseLoad)

	clock.start()
	a.Funnel = make([]int, 4)
	if err := conn.QueryRowContext(ctx, funnelSQL).Scan(&a.Funnel[0], &a.Funnel[1], &a.Funnel[2], &a.Funnel[3]); err != nil {
		return a, fmt.Errorf("duckdb: funnel: %w", err)
	}
	clock.stop(phaseFunnel)

	clock.start()
	err = query(ctx, conn, transitionsSQL, func(rows *sql.Rows) error {
		var t Transition
		err := rows.Scan(&t.From, &t.To, &t.Count)
		a.Transitions = append(a.Transitions, t)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("duckdb: transitions: %w", err)
	}
	clock.stop(phaseTransitions)

	clock.start()
	err = query(ctx, conn, pathsSQL, func(rows *sql.Rows) error {
		var p Path
		err := rows.Scan(&p.Route, &p.Customers, &p.Converted, &a.Routes)
		a.TopPaths = append(a.TopPaths, p)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("duckdb: paths: %w", err)
	}
	clock.stop(phasePaths)

	clock.start()
	a.First, a.Last, a.Linear = map[string]float64{}, map[string]float64{}, map[string]float64{}
	err = query(ctx, conn, attributionSQL, func(rows *sql.Rows) error {
		var ch string
		var first, last int
		var linear float64
		err := rows.Scan(&ch, &first, &last, &linear)
		a.First[ch], a.Last[ch], a.Linear[ch] = float64(first), float64(last), linear
		return err
	})
	if err != nil {
		return a, fmt.Errorf("duckdb: attribution: %w", err)
	}
	clock.stop(phaseAttribution)
	return a, nil
}

// query runs q and calls scan on each row.
func query(ctx context.Context, conn *sql.Conn, q string, scan func(*sql.Rows) error) error {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
