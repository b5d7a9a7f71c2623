package attribution

import "hash/maphash"

// routeSet interns routes (sequences of touch ids) to dense indexes in
// order of insertion, storing them in one arena. Its open-addressing slots
// hold a 32-bit fingerprint of the hash beside the index, so a lookup that
// misses touches one slot and no route, and it is sized up front from an
// upper bound on the number of routes, so that building a table of a
// million routes never rehashes.
type routeSet struct {
	key   uint64   // hash key
	slots []uint64 // 0 = empty, else fingerprint<<32 | (index+1)
	mask  uint64
	data  []uint32 // route k is data[start[k]:start[k+1]]
	start []uint32
}

func randomKey() uint64 { return maphash.Comparable(maphash.MakeSeed(), 0) | 1 }

func newRouteSet(key uint64, hint int) *routeSet {
	n := uint64(16)
	for n < uint64(hint)*2 {
		n *= 2
	}
	return &routeSet{key: key, slots: make([]uint64, n), mask: n - 1, start: make([]uint32, 1, hint+1)}
}

// hashRoute hashes a route: a multiply-add over pairs of ids, then a
// finaliser that spreads every bit.
func hashRoute(key uint64, route []uint32) uint64 {
	h := key ^ uint64(len(route))
	i := 0
	for ; i+1 < len(route); i += 2 {
		h = (h ^ (uint64(route[i]) | uint64(route[i+1])<<32)) * 0x9e3779b97f4a7c15
	}
	if i < len(route) {
		h = (h ^ uint64(route[i]) ^ 1<<63) * 0x9e3779b97f4a7c15
	}
	h ^= h >> 32
	h *= 0xd6e8feb86659fd93
	h ^= h >> 32
	return h
}

func (s *routeSet) len() int { return len(s.start) - 1 }

func (s *routeSet) route(k int) []uint32 { return s.data[s.start[k]:s.start[k+1]:s.start[k+1]] }

// intern returns the index of route, whose hash is h, adding it if new.
func (s *routeSet) intern(route []uint32, h uint64) (k int, added bool) {
	fp := h >> 32
	i := h & s.mask
	for {
		sl := s.slots[i]
		if sl == 0 {
			break
		}
		if sl>>32 == fp {
			k := int(uint32(sl)) - 1
			if equalRoutes(s.route(k), route) {
				return k, false
			}
		}
		i = (i + 1) & s.mask
	}
	k = s.len()
	s.data = append(s.data, route...)
	s.start = append(s.start, uint32(len(s.data)))
	s.slots[i] = fp<<32 | uint64(k+1)
	if uint64(k+1)*2 > s.mask+1 {
		s.grow()
	}
	return k, true
}

func (s *routeSet) grow() {
	n := (s.mask + 1) * 2
	slots := make([]uint64, n)
	mask := n - 1
	for _, sl := range s.slots {
		if sl == 0 {
			continue
		}
		k := int(uint32(sl)) - 1
		i := hashRoute(s.key, s.route(k)) & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = sl
	}
	s.slots, s.mask = slots, mask
}

func equalRoutes(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
