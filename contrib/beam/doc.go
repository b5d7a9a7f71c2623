// Package parcoursbeam runs parcours's analyses as Apache Beam transforms.
package parcoursbeam
