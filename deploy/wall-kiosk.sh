#!/usr/bin/env bash
# One Command Hall wall display: Chromium in kiosk mode on a hall's URL, started again whenever it
# exits (a crash, an out-of-memory kill, an update), with the flags an unattended wall needs.
# deploy/README.md says how to set a wall PC up around it.
#
#   deploy/wall-kiosk.sh http://10.0.0.5:8080/hall/district:440310
#   deploy/wall-kiosk.sh 'http://10.0.0.5:8080/hall/district:440310?tiles=2x1&tile=1,0' \
#     --name right --window 3840,0,3840,2160
#
# Options:
#   --name NAME          names the display's browser profile (default: wall); one per window
#   --profile DIR        the profile directory (default: ~/.local/share/command-hall/NAME); it keeps
#                        the display's pairing, so it must survive reboots
#   --window X,Y,W,H     window position and size (one PC driving several monitors)
#   --restart-delay S    seconds before a restart (default 2; doubled, up to 60, while it keeps
#                        exiting within a minute)
#   --once               do not restart (for trying flags out)
# Environment: CHROMIUM (default: chromium, chromium-browser or google-chrome from PATH).
set -u

die() {
  echo "wall-kiosk: $*" >&2
  exit 2
}
log() { echo "$(date '+%F %T') wall-kiosk[$name]: $*"; }

url="" name="wall" profile="" window="" delay=2 once=0
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="${2:?--name needs a value}"; shift 2 ;;
    --profile) profile="${2:?--profile needs a value}"; shift 2 ;;
    --window) window="${2:?--window needs X,Y,W,H}"; shift 2 ;;
    --restart-delay) delay="${2:?--restart-delay needs seconds}"; shift 2 ;;
    --once) once=1; shift ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    http://* | https://*) [ -z "$url" ] || die "one URL only"; url="$1"; shift ;;
    *) die "unknown argument \"$1\" (the hall's URL starts with http:// or https://; --help lists the options)" ;;
  esac
done
[ -n "$url" ] || die "give the hall's URL, e.g. http://10.0.0.5:8080/hall/district:440310"
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "--name may hold letters, digits, dot, dash and underscore only"
[[ "$delay" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--restart-delay needs a number of seconds"
if [ -n "$window" ]; then
  [[ "$window" =~ ^(-?[0-9]+),(-?[0-9]+),([0-9]+),([0-9]+)$ ]] || die "--window needs X,Y,W,H, e.g. 3840,0,3840,2160"
  position="${BASH_REMATCH[1]},${BASH_REMATCH[2]}" size="${BASH_REMATCH[3]},${BASH_REMATCH[4]}"
fi
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
[ -n "$chromium" ] && [ -x "$chromium" ] || die "no Chromium found: install it or set CHROMIUM"
profile="${profile:-${XDG_DATA_HOME:-$HOME/.local/share}/command-hall/$name}"
mkdir -p "$profile" || die "cannot create the profile directory $profile"

flags=(
  --kiosk
  "--user-data-dir=$profile"
  --no-first-run --no-default-browser-check --noerrdialogs --disable-infobars
  --disable-session-crashed-bubble
  # a closed network: nothing that calls out (updates, sync, translation, component downloads)
  --disable-background-networking --disable-component-update --disable-sync
  --check-for-update-interval=31536000 --disable-features=Translate,MediaRouter
  # the alert chime plays with nobody there to click
  --autoplay-policy=no-user-gesture-required
  # an occluded or unfocused wall keeps its timers: rotation, heartbeats and the watchdog run on them
  --disable-background-timer-throttling --disable-backgrounding-occluded-windows --disable-renderer-backgrounding
  # a touch wall: no pinch zoom, no swipe back
  --disable-pinch --overscroll-history-navigation=0
  --password-store=basic
  # V8 keeps baseline (Sparkplug) code for every function that ever ran hot; a wall rotating its
  # themes for weeks lets it drop that code when unused (docs/benchmarks.md, "Wall endurance")
  --js-flags=--flush-baseline-code
)
[ -n "$window" ] && flags+=("--window-position=$position" "--window-size=$size")

child=""
stop() {
  log "stopping"
  [ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
  exit 0
}
trap stop INT TERM

wait_s="$delay"
while :; do
  # after a crash Chromium offers to restore the last session: a wall just starts on its URL
  prefs="$profile/Default/Preferences"
  [ -f "$prefs" ] && sed -i 's/"exit_type":"Crashed"/"exit_type":"Normal"/; s/"exited_cleanly":false/"exited_cleanly":true/' "$prefs"
  started=$(date +%s)
  log "starting $chromium on $url"
  "$chromium" "${flags[@]}" "$url" &
  child=$!
  wait "$child"
  rc=$?
  child=""
  ran=$(($(date +%s) - started))
  log "Chromium exited with status $rc after ${ran} s"
  [ "$once" = 1 ] && exit "$rc"
  if [ "$ran" -lt 60 ]; then
    wait_s=$(awk -v w="$wait_s" -v d="$delay" 'BEGIN { w = (w < d ? d : w * 2); print (w > 60 ? 60 : w) }')
  else
    wait_s="$delay"
  fi
  log "starting again in ${wait_s} s"
  sleep "$wait_s" &
  child=$!
  wait "$child"
  child=""
done
