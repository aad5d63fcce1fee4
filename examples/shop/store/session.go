package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/amazonpay-go/amazonpay/checkout"
)

// Sessions: a buyer's cart and checkout in progress, in shop_sessions. A
// browser gets a session (and its cookie) only when it puts something in
// the cart or presses "subscribe": looking at the pages stores nothing.
// A session lives Config.SessionTTL from its last change; past that it is
// not used, and the minutely sweep (Sweep) deletes it.

const sessionCookie = "shop_session"

// session is one buyer's visit: the cart and the Amazon Pay objects of the
// checkouts in progress. The zero session (id "") is a visitor without one.
type session struct {
	id               string
	quantity         int
	orderReferenceID string // the checkout in progress
	orderNo          string // its order number: the checkout payment id
	billingAgreement string // the subscription checkout in progress
	subNo            string
}

// sessionIDLen is the length of a session id: 32 hex digits of 16 random
// bytes.
const sessionIDLen = 32

// cookieSessionID returns the session id the request's cookie names, or ""
// for none or one that cannot be an id.
func cookieSessionID(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != sessionIDLen {
		return ""
	}
	if _, err := hex.DecodeString(c.Value); err != nil {
		return ""
	}
	return c.Value
}

const sessionColumns = `id, quantity, coalesce(order_reference_id, ''), coalesce(order_no, ''),
	coalesce(billing_agreement_id, ''), coalesce(sub_no, '')`

func scanSession(row *sql.Row) (session, error) {
	var sess session
	err := row.Scan(&sess.id, &sess.quantity, &sess.orderReferenceID, &sess.orderNo, &sess.billingAgreement, &sess.subNo)
	return sess, err
}

// session returns the buyer's session: the zero session when the request
// has no cookie, or one of a session that expired or never was.
func (s *Shop) session(r *http.Request) (session, error) {
	id := cookieSessionID(r)
	if id == "" {
		return session{}, nil
	}
	sess, err := scanSession(s.db.sql.QueryRowContext(r.Context(),
		s.db.q(`SELECT `+sessionColumns+` FROM shop_sessions WHERE id = $1 AND expires > $2`), id, s.millis(s.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return session{}, nil
	}
	if err != nil {
		return session{}, fmt.Errorf("store: read session: %w", err)
	}
	return sess, nil
}

// changeSession applies change to the buyer's session in one transaction
// and returns the session after it; it also moves the session's expiry to
// SessionTTL from now. Without a session, one is created (with the cookie
// on w) when create is set; else change sees the zero session and nothing
// is stored.
func (s *Shop) changeSession(w http.ResponseWriter, r *http.Request, create bool, change func(*session)) (session, error) {
	ctx := r.Context()
	var out session
	expires := s.now().Add(s.cfg.SessionTTL)
	err := s.db.tx(ctx, func(tx querier) error {
		lock := ""
		if s.db.dialect == checkout.PostgreSQL {
			lock = " FOR UPDATE" // SQLite: BEGIN IMMEDIATE holds the lock
		}
		sess, err := session{}, sql.ErrNoRows
		if id := cookieSessionID(r); id != "" {
			sess, err = scanSession(tx.QueryRowContext(ctx, s.db.q(`SELECT `+sessionColumns+
				` FROM shop_sessions WHERE id = $1 AND expires > $2`+lock), id, s.millis(s.now())))
		}
		switch {
		case errors.Is(err, sql.ErrNoRows) && !create:
			out = session{}
			change(&out)
			return nil
		case errors.Is(err, sql.ErrNoRows):
			sess = session{id: newSessionID()}
			change(&sess)
			_, err = tx.ExecContext(ctx, s.db.q(`INSERT INTO shop_sessions
	(id, expires, quantity, order_reference_id, order_no, billing_agreement_id, sub_no)
	VALUES ($1, $2, $3, $4, $5, $6, $7)`), sess.id, s.millis(expires), sess.quantity,
				null(sess.orderReferenceID), null(sess.orderNo), null(sess.billingAgreement), null(sess.subNo))
		case err != nil:
			return err
		default:
			change(&sess)
			_, err = tx.ExecContext(ctx, s.db.q(`UPDATE shop_sessions SET expires = $2, quantity = $3,
	order_reference_id = $4, order_no = $5, billing_agreement_id = $6, sub_no = $7 WHERE id = $1`),
				sess.id, s.millis(expires), sess.quantity,
				null(sess.orderReferenceID), null(sess.orderNo), null(sess.billingAgreement), null(sess.subNo))
		}
		out = sess
		return err
	})
	if err != nil {
		return session{}, fmt.Errorf("store: change session: %w", err)
	}
	if out.id != "" {
		c := s.cookie(out.id, expires)
		http.SetCookie(w, c)
		if cookieSessionID(r) != out.id {
			// A new session: the rest of this request sees it too.
			replaceCookie(r, c)
		}
	}
	return out, nil
}

// replaceCookie puts c in r's Cookie header in place of any cookie of the
// same name.
func replaceCookie(r *http.Request, c *http.Cookie) {
	others := r.Cookies()
	r.Header.Del("Cookie")
	for _, o := range others {
		if o.Name != c.Name {
			r.AddCookie(o)
		}
	}
	r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
}

// cookie is the session cookie: HttpOnly (no script reads it), SameSite=Lax
// (sent on the buyer's return from Amazon Pay, a top-level GET, but not on
// another site's POSTs), Secure when the shop is served over https.
func (s *Shop) cookie(id string, expires time.Time) *http.Cookie {
	return &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/",
		Expires: expires.UTC(), MaxAge: int(s.cfg.SessionTTL / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure,
	}
}

// Sweep deletes the sessions that expired, and returns how many. The shop
// runs it every minute (Run); an expired session is never used even before
// it is swept.
func (s *Shop) Sweep(ctx context.Context) (int64, error) {
	res, err := s.db.sql.ExecContext(ctx, s.db.q(`DELETE FROM shop_sessions WHERE expires <= $1`), s.millis(s.now()))
	if err != nil {
		return 0, fmt.Errorf("store: sweep sessions: %w", err)
	}
	return res.RowsAffected()
}

func newSessionID() string {
	b := make([]byte, sessionIDLen/2)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// null stores "" as NULL.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// millis is t as the tables keep times.
func (s *Shop) millis(t time.Time) int64 { return t.UnixMilli() }
