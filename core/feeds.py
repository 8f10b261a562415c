"""Feed generators shared by the apps' feeds."""

from io import StringIO

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed


class WrittenAtOnce:
    """A feed generator that writes its XML into a string and hands it on in one piece:
    written straight to the response, each of a feed's thousand-odd elements and texts was a
    write of its own (encoded and appended one by one)."""

    def write(self, outfile, encoding):
        buffer = StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class RssFeed(WrittenAtOnce, Rss201rev2Feed):
    pass


class AtomFeed(WrittenAtOnce, Atom1Feed):
    pass
