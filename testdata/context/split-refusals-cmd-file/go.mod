module example.com/webdav
