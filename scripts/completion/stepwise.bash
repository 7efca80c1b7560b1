# Bash completion for the Stepwise entry points.
#   source scripts/completion/stepwise.bash
# Completes `stepwise-trainer`, `stepwise-sampler` (see the wrapper functions below) and
# `java -jar .../trainer.jar|sampler.jar`: options, --cfg/--info values, -cn config names,
# config groups (`model=`, `+tracker=`, `~optim`), their options (`model=gpt2_<TAB>`) and
# lists of options (`tracker=[console,<TAB>`). It reads the conf tree itself (no JVM start):
# the conf root is --config-root, else the nearest ancestor of -cp (default conf) with config.conf.

_stepwise_opts="-cp --config-path -cn --config-name --config-root -cd --config-dir --cfg --resolve --origins --info -m --multirun --resume -h --help"

_stepwise_value_of() { # _stepwise_value_of OPT... : the last value given to one of the options
  local i w v=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    for w in "$@"; do [[ ${COMP_WORDS[i]} == "$w" ]] && v=${COMP_WORDS[i + 1]}; done
  done
  printf '%s' "$v"
}

_stepwise_conf_root() {
  local root cp d
  root=$(_stepwise_value_of --config-root)
  if [[ -n $root ]]; then printf '%s' "$root"; return; fi
  cp=$(_stepwise_value_of -cp --config-path)
  d=${cp:-conf}
  while [[ -n $d && $d != / ]]; do
    if [[ -f $d/config.conf ]]; then printf '%s' "$d"; return; fi
    [[ $d == . ]] && break
    d=$(dirname "$d")
  done
  printf '%s' conf
}

_stepwise_groups() { # every directory below the root holding a .conf file, relative, '/'-separated
  local root=$1 f g
  while IFS= read -r f; do
    g=${f#"$root"/}
    g=${g%/*}
    [[ $g == "$f" || $g == *.conf ]] && continue
    printf '%s\n' "$g"
  done < <(find "$root" -mindepth 2 -name '*.conf' 2>/dev/null) | sort -u
}

_stepwise_options() { # options of group $2 under root $1
  local f
  for f in "$1/$2"/*.conf; do [[ -f $f ]] && f=${f##*/} && printf '%s\n' "${f%.conf}"; done
}

_stepwise_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  COMPREPLY=()
  case $prev in
    -cp | --config-path | -cd | --config-dir | --config-root | --resume)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --cfg) COMPREPLY=($(compgen -W "job all" -- "$cur")); return ;;
    --info) COMPREPLY=($(compgen -W "defaults config-groups searchpath" -- "$cur")); return ;;
    -cn | --config-name)
      local dir names=() f
      dir=$(_stepwise_value_of -cp --config-path)
      for f in "${dir:-conf}"/*.conf; do [[ -f $f ]] && f=${f##*/} && names+=("${f%.conf}"); done
      COMPREPLY=($(compgen -W "${names[*]}" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$_stepwise_opts" -- "$cur")); return
  fi
  local root prefix key
  root=$(_stepwise_conf_root)
  if [[ $cur == *=* ]]; then
    key=${cur%%=*}
    local group=${key#~}
    group=${group#++}
    group=${group#+}
    group=${group%@*}
    [[ -d $root/$group ]] || return
    local val=${cur#*=} opts
    opts=$(_stepwise_options "$root" "$group")
    if [[ $val == \[* ]]; then # a list of options: complete the last element
      local head=${val%,*} last=${val##*,}
      [[ $val != *,* ]] && head="[" && last=${val#[}
      [[ $head != "[" ]] && head="$head,"
      local o left=()
      for o in $opts; do [[ ,${head#[}, == *,$o,* ]] || left+=("$o"); done
      COMPREPLY=($(compgen -W "${left[*]}" -P "$key=$head" -- "$last"))
    else
      COMPREPLY=($(compgen -W "$opts null" -P "$key=" -- "$val"))
    fi
    compopt -o nospace 2>/dev/null
    return
  fi
  prefix=""
  [[ $cur == ++* ]] && prefix="++"
  [[ -z $prefix && $cur == +* ]] && prefix="+"
  [[ $cur == ~* ]] && prefix="~"
  local g words=()
  while IFS= read -r g; do words+=("$g="); done < <(_stepwise_groups "$root")
  COMPREPLY=($(compgen -W "${words[*]}" -P "$prefix" -- "${cur#"$prefix"}"))
  compopt -o nospace 2>/dev/null
}

_stepwise_java() { # java -jar trainer.jar ...: complete only after a Stepwise jar
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ ${COMP_WORDS[i]} == -jar && ${COMP_WORDS[i + 1]} == *@(trainer|sampler).jar ]]; then
      _stepwise_complete; return
    fi
  done
  COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
}

# The wrappers pass the JVM options of scripts/lib/java.sh (Vector API module for the Java CPU
# decoder, DJL offline).
stepwise-trainer() { java --add-modules=jdk.incubator.vector -Dai.djl.offline=true -jar "${STEPWISE_HOME:-.}/entrypoints/target/trainer.jar" "$@"; }
stepwise-sampler() { java --add-modules=jdk.incubator.vector -Dai.djl.offline=true -jar "${STEPWISE_HOME:-.}/entrypoints/target/sampler.jar" "$@"; }

shopt -s extglob
complete -F _stepwise_complete stepwise-trainer stepwise-sampler
complete -o default -F _stepwise_java java
