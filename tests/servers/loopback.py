"""loopback.py: what the test servers share: a threaded server on a free
port of 127.0.0.1 that writes its port to a file (atomically, so a test
polling for it never reads half a number) and ends by itself."""
import os
import threading
from http.server import ThreadingHTTPServer


class Server(ThreadingHTTPServer):
    # ThreadingHTTPServer's 5 is short for a client opening its
    # connections all at once.
    request_queue_size = 64
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up (a timeout test, a size limit) is normal.
        pass


def serve(handler, portfile, lifetime):
    """Serve handler until lifetime seconds have passed."""
    srv = Server(("127.0.0.1", 0), handler)
    threading.Timer(lifetime, srv.shutdown).start()
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, portfile)
    srv.serve_forever()
    srv.server_close()
