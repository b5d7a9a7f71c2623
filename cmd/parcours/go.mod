module github.com/parcours-go/parcours/cmd/parcours

go 1.24

replace github.com/parcours-go/parcours => ../..

require github.com/parcours-go/parcours v0.0.0-00010101000000-000000000000
