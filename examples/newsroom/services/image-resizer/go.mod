module newsroom.example/image-resizer

go 1.22
