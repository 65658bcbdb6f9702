package io.chiplog.views;

/**
 * Names of spaces: {@code <view>_v<version>_<generation>}. The generation counts the builds of a
 * view, so a rebuild of the same version gets a fresh space, and a build interrupted by a crash
 * is found again (and resumed) under the same name.
 */
final class Spaces {
  private Spaces() {}

  static String first(View<?> view) {
    return view.name() + "_v" + view.version() + "_1";
  }

  /** The space after {@code live} for a build of {@code version}. */
  static String next(String live, int version) {
    String view = live.substring(0, live.lastIndexOf("_v", live.lastIndexOf('_') - 1));
    return view + "_v" + version + "_" + (generation(live) + 1);
  }

  static int version(String space) {
    int last = space.lastIndexOf('_');
    int v = space.lastIndexOf("_v", last - 1);
    return Integer.parseInt(space.substring(v + 2, last));
  }

  static int generation(String space) {
    return Integer.parseInt(space.substring(space.lastIndexOf('_') + 1));
  }

  /** A throwaway space for a build up to {@code position}. */
  static String at(View<?> view, long position) {
    return view.name() + "_v" + view.version() + "_at" + position;
  }
}
