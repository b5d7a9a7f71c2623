package journey

import (
	"hash/maphash"
	"math/bits"
)

// custTable interns customer ids to dense ids in order of first sight.
//
// While the customers come grouped (each run of events of one customer,
// customers in increasing order) its callers fill names and counts
// themselves, with no table. Once not (ungroup), it is an open-addressing
// table with linear probing over 32-byte slots that hold, besides a tag
// of the hash and the id, the name's first 16 bytes and where all its
// bytes are in one arena: a look-up that finds its customer reads one
// slot, and the arena only for a longer name, and writes nothing. The
// events of each id are then counted from the ids, by countIDs. Callers hash the ids they look
// up (hash, or maphash.String with the table's seed), many at once, and
// touch their slots (touch) before looking any up, so that the processor
// fetches them together. The last id found is checked first, which
// answers a run of one customer's events without probing the table.
//
// The zero custTable is empty and ready to use; it is not safe for
// concurrent use.
type custTable struct {
	// Grouped, and after finish: the names by id and their events.
	names  []string
	counts []uint32

	// Ungrouped: the table.
	seed    maphash.Seed
	slots   []custSlot // len is a power of 2, at most maxSlots
	shift   uint       // 64 - log2(len(slots)): a hash's slot is h >> shift
	keys    []byte     // names' bytes, in id order
	ends    []uint64   // name id is keys[ends[id-1]:ends[id]] (0 for id -1)
	last    uint32     // id of the last customer looked up, if any
	lastK   []byte     // its name, in keys or lastBuf
	lastBuf [slotHead]byte
}

// A name's slot is the top bits of its hash, which its tag keeps: a
// table that doubles places each slot from its tag alone, walking the
// old slots in order, so that it reads no name and writes the new table
// nearly in order.
type custSlot struct {
	tag  uint32         // the high 32 bits of the name's hash
	id1  uint32         // id + 1; 0 marks a free slot
	ref  uint64         // the name's offset in keys << 16 | its length (0xffff when longer)
	head [slotHead]byte // the name's first bytes
}

// slotHead is the bytes of a name its slot holds: a look-up of a name no
// longer than that, such as the export's 8-byte ids, reads only its slot;
// longer ones, such as UUIDs (36 bytes), read the arena too.
const slotHead = 16

// newSlot returns the slot of name id, of hash h, whose bytes k are at
// off in keys.
func newSlot[S string | []byte](h uint64, id uint32, off uint64, k S) custSlot {
	sl := custSlot{tag: uint32(h >> 32), id1: id + 1, ref: off<<16 | uint64(min(len(k), maxInline+1))}
	copy(sl.head[:], k)
	return sl
}

// maxInline is the longest name whose length a slot holds.
const maxInline = 1<<16 - 2

// maxSlots is the most slots a table has: as many as the 32-bit tags,
// from which a doubling places the slots, can address. A table of more
// than maxSlots/2 names stops doubling and fills further, never wholly,
// as it holds fewer than maxEvents names.
const maxSlots uint64 = 1 << 32

// key returns the bytes of name id.
func (t *custTable) key(id uint32) []byte {
	lo := uint64(0)
	if id > 0 {
		lo = t.ends[id-1]
	}
	return t.keys[lo:t.ends[id]]
}

// addHashed returns the id of customer s, of hash h (t.hash of its
// bytes, or maphash.String(t.seed, s)), adding it if new.
func (t *custTable) addHashed(h uint64, s string) uint32 {
	if len(t.ends) > 0 && string(t.lastK) == s {
		return t.last
	}
	return t.insert(h, s, nil)
}

// hash returns the hash of b that addHashedBytes takes, starting the
// table if it is not.
func (t *custTable) hash(b []byte) uint64 {
	if t.slots == nil {
		t.init(0)
	}
	return maphash.Bytes(t.seed, b)
}

// hashString is hash for a string.
func (t *custTable) hashString(s string) uint64 {
	if t.slots == nil {
		t.init(0)
	}
	return maphash.String(t.seed, s)
}

// addHashedBytes is addHashed for a byte slice.
func (t *custTable) addHashedBytes(h uint64, b []byte) uint32 {
	if len(t.ends) > 0 && string(t.lastK) == string(b) {
		return t.last
	}
	return t.insert(h, "", b)
}

// touch reads what look-ups of the hashes hs will read first, their
// slots, and returns a byte of them, for callers to fold into a result so
// that the reads are not optimised away: the processor fetches the slots
// at once, where look-ups one after the other would each wait on memory.
func (t *custTable) touch(hs []uint64) byte {
	var tags uint32
	for _, h := range hs {
		tags ^= t.slots[h>>t.shift].tag
	}
	return byte(tags)
}

// init makes an empty table with room for about hint customers.
// It keeps the table's seed if it has one.
func (t *custTable) init(hint int) {
	if t.seed == (maphash.Seed{}) {
		t.seed = maphash.MakeSeed()
	}
	size := 1024
	for size < 2*hint && uint64(size) < maxSlots {
		size *= 2
	}
	t.resize(size)
}

// resize makes an empty table of size slots, a power of 2.
func (t *custTable) resize(size int) {
	t.slots = make([]custSlot, size)
	t.shift = uint(64 - bits.TrailingZeros64(uint64(size)))
}

// place puts sl in the first free slot from its tag's.
func (t *custTable) place(sl custSlot) {
	mask := uint64(len(t.slots) - 1)
	j := uint64(sl.tag) << 32 >> t.shift
	for t.slots[j].id1 != 0 {
		j = (j + 1) & mask
	}
	t.slots[j] = sl
}

// insert finds or adds the id hashed to h: s, or b when b is not nil.
func (t *custTable) insert(h uint64, s string, b []byte) uint32 {
	n := len(s)
	if b != nil {
		n = len(b)
	}
	want := uint64(min(n, maxInline+1))
	mask := uint64(len(t.slots) - 1)
	tag := uint32(h >> 32)
	for j := h >> t.shift; ; j = (j + 1) & mask {
		sl := t.slots[j]
		if sl.id1 == 0 {
			off := uint64(len(t.keys))
			if b != nil {
				t.keys = append(t.keys, b...)
			} else {
				t.keys = append(t.keys, s...)
			}
			id := uint32(len(t.ends))
			t.ends = append(t.ends, uint64(len(t.keys)))
			t.slots[j] = newSlot(h, id, off, t.keys[off:])
			t.last, t.lastK = id, t.keys[off:]
			if 2*len(t.ends) > len(t.slots) && uint64(len(t.slots)) < maxSlots {
				t.double()
			}
			return id
		}
		if sl.tag != tag || sl.ref&0xffff != want {
			continue
		}
		if n <= slotHead {
			// The name is all in its slot: keep a copy of it as the last.
			if b == nil && string(sl.head[:n]) == s || b != nil && string(sl.head[:n]) == string(b) {
				t.lastBuf = sl.head
				t.last, t.lastK = sl.id1-1, t.lastBuf[:n]
				return t.last
			}
			continue
		}
		var k []byte
		if want <= maxInline {
			off := sl.ref >> 16
			k = t.keys[off : off+want]
		} else {
			k = t.key(sl.id1 - 1)
		}
		if b == nil && string(k) == s || b != nil && string(k) == string(b) {
			t.last, t.lastK = sl.id1-1, k
			return t.last
		}
	}
}

// double moves the names to a table of twice the slots.
func (t *custTable) double() {
	old := t.slots
	t.resize(2 * len(old))
	for _, sl := range old {
		if sl.id1 != 0 {
			t.place(sl)
		}
	}
}

// ungroup indexes the customers of a table filled in grouped order (names
// increasing, each with its run of counts events, no slots) and returns
// the customer ids of those events in a new slice of n.
func (t *custTable) ungroup(n int) []uint32 {
	names, counts := t.names, t.counts
	*t = custTable{seed: t.seed}
	size := 0
	for _, s := range names {
		size += len(s)
	}
	t.init(len(names))
	t.keys = make([]byte, 0, size+size/4+64)
	t.ends = make([]uint64, 0, len(names)+len(names)/4+64)
	for _, s := range names {
		t.keys = append(t.keys, s...)
		t.ends = append(t.ends, uint64(len(t.keys)))
	}
	lo := uint64(0)
	for id, hi := range t.ends {
		k := t.keys[lo:hi]
		h := maphash.Bytes(t.seed, k)
		t.place(newSlot(h, uint32(id), lo, k))
		lo = hi
	}
	if len(names) > 0 {
		t.last = uint32(len(names) - 1)
		t.lastK = t.key(t.last)
	}
	cust := make([]uint32, n)
	j := 0
	for id, k := range counts {
		for range k {
			cust[j] = uint32(id)
			j++
		}
	}
	return cust
}

// finish ends the look-ups of an ungrouped table: it sets names to the
// names by id, substrings of one string, and counts to the events of
// each id in cust, and drops the table.
func (t *custTable) finish(cust []uint32) {
	all := string(t.keys)
	names := make([]string, len(t.ends))
	lo := uint64(0)
	for id, hi := range t.ends {
		names[id] = all[lo:hi]
		lo = hi
	}
	*t = custTable{names: names, counts: countIDs(cust, len(names))}
}

// countIDs returns the number of times each id below n appears in ids.
func countIDs(ids []uint32, n int) []uint32 {
	counts := make([]uint32, n)
	for _, id := range ids {
		counts[id]++
	}
	return counts
}
