# torikumi のメッセージ（日本語）。Project Fluent の書式（https://projectfluent.org）。
#
# 診断コードごとに一つ（ID は diagnostics 表の code と同じ）と、実行結果の各行に一つ。
# `$name` はプログラムが渡す値、`$case` は一つのコードに複数の文面があるときの選択肢です。
# 年度は `{ FY($fy) }` と書くと文書と同じ元号の形になります（2023 → 令和5年度、2019 → 令和元年度。
# 元号・元年の語・年度の語は vocabulary.toml の [[eras]]・first_year_words・year_suffixes から）。
# en.ftl と同じ ID をすべて持つこと（欠け・未知の ID・書式の誤りは `torikumi check` が拒みます）。

## 診断

unreadable_file = { $case ->
    [io] ファイルを読めません: { $detail }
    [empty] ファイルが空です
    [binary] テキストではなくバイナリのデータです。シートをタブ区切りテキストで書き出すか、.xlsx で保存してください
    [encrypted] パスワードで保護されたブックです。保護を外した写しを保存して読み込んでください
    [workbook] 読めないブックです（{ $detail }）。Excel で開き、.xlsx で保存し直してください
    [too-large] 大きすぎます: { $detail }。意図したものなら上限を引き上げてください
   *[unsupported] 読めないファイル形式です（.{ $detail }）
}
unreadable_folder = フォルダを読めません: { $error }
missing_input = そのファイル・フォルダはありません
no_layout = { $case ->
    [no-tabs] このファイルに合う様式がありません。行にタブがなく、列が空白でそろえてあります（PDF からレイアウトを保って抽出したテキスト）。セルの間をタブにして抽出し直すか（pdftotext を -layout なしで、または表をタブ区切りテキストで保存）、PDF の表を Excel で開いてブックとして保存してください
   *[file] このファイルに合う様式がありません（torikumi mappings list で一覧できます）。セルはすべて未対応として診断に記録しました。取組票であれば様式の定義を追加してください（README 参照）
}
empty_workbook = セルのあるシートが一つもありません
sheet_not_recognised = { $case ->
    [no-tabs] このシートにはレイアウト { $layout } の見出しがありますが、行にタブがなく、列が空白でそろえてあります（PDF からレイアウトどおりに取り出したテキスト）。表の列を分けられないため、何も読んでいません。セルの間をタブにして取り出すか（pdftotext を -layout なしで使う、シートをタブ区切りテキストで保存する）、PDF の表を Excel で開いてブックとして保存してください
    [list] 一覧様式 { $layout } の見出しはありますが、指標列の見出し（{ $labels }）のある行がありません。このシートのセルは読んでいません
    [no-item] 様式 { $layout } の見出しはありますが、項目が始まっていません（{ $anchor } で始まる行がありません）。このシートのセルは読んでいません
   *[other-sheets] このファイルの他のシートは様式 { $layout } ですが、このシートには見出し { $labels } がありません。セルは読んでいません。取組のシートであれば見出しを確認してください（または様式を追加してください）
}
example_sheet = このシートは名前から記入例・記入上の注意と見なしました（「{ $sheet }」）。{ $cells } 個のセルはデータとして読んでいません。実際のデータであれば、シート名を変えてください
hidden_sheet = このシートは非表示ですが、{ $cells } 個のセルを表示中のシートと同じように読んでいます。以前の版の写しや作業用の一覧であれば削除し、現在のデータであれば再表示してください
unmapped_value = どの表にも入らない値です（出力の表にありません）。上にある表の見出しを確認してください
unplaced_cell = { $case ->
    [unit-before-value] 値の位置に単位があり、その後に数値があります（件 | 600）。順に読むとこれ以降の値がすべて1年ずれるため、読みません。値を単位の前に入力してください
    [set-apart] 行の値から離れたセルです。年度には当てはめていません
    [no-baseline] 見出しに基準値の列がない位置の値です
    [extra-cells] 見出しの年度より多いセルです。年度には当てはめていません
    [achievement] この達成状況のセルに当たる年度の見出しがありません。推測はしていません
    [schedule] この工程のセルに当たる見出しの列か取組がありません。期間には当てはめていません
   *[progress] このセルに当たる見出しの列がありません。年度・期間には当てはめていません
}
year_not_decoded = { $case ->
    [kpi] KPI の値「{ $entry }」の年度が読めないため、読んでいません（年度は R5、令和5年度 のように数字で、または西暦4桁で書いてください）
    [list-achievement] { $column }列の達成率ですが、見出しに年度がありません。どの年度の達成率か分からないため、評価の達成率と照合する値としては残していません。見出しに年度を書いてください（達成率（R5））
    [list] { $column }列の見出しから年度を読み取れません。この値には年度を付けていません
    [progress-no-header] { $column }列の見出し（なし）から年度を読み取れません。この値には年度を付けていません（年度は語彙にある元号か西暦4桁で書いてください）
   *[progress] { $column }列の見出し（{ $headers }）から年度を読み取れません。この値には年度を付けていません（年度は語彙にある元号か西暦4桁で書いてください）
}
row_without_indicator = { $case ->
    [example] 記入例の行です（「{ $label }」）。実際のデータではないので、値は読んでいません。実際のデータであれば、記入例の語を外してください
    [total] 合計の行（«{ $label }»）で指標ではないため、値は指標として読みません。指標であれば固有の名前を付けてください
    [plan] 指標名より前にある値です。どの指標か決められません
    [list] 指標のない行（または最初の項目より前）の値です。どの指標か決められません
   *[progress] 指標名のない値の行です。どの指標か決められません
}
ambiguous_row = { $case ->
    [hidden] この行はブックで非表示ですが、{ $cells } 個の値を表示中の行と同じように読んでいます。非表示の行は古い行の残りであることがよくあります。現在のデータでなければ削除してください
    [plan-actual-aligned] この実績値は { FY($fy) } の目標の下にありますが、行の順番では { FY($fy_order) } の値になります。置かれた位置どおり { FY($fy) } の値として読みました。前の年度の実績が空欄なら「－」を入れてください
    [item-number] 番号の列は { $column } ですが、取組名に番号（{ $title }）があります。取組の番号は個別の取組票と同じ { $title } として読みました。列の番号が正しい場合は、取組名から番号を外してください
    [title-wrapped] 番号のない取組のセルですが、この行の指標は上の取組の番号の続きです。上の取組名の続き（「{ $title }」）として読み、別の取組とはしていません。別の取組であれば番号を付けてください
    [number-name] この行の番号（{ $number }）は「{ $by_number }」のものですが、名前は「{ $by_name }」のものです。値は「{ $by_name }」のものとして読みました。番号を確認してください
    [plan-no-kind] 目標・実績の区分のない計画表の行です。どこに入るか決められません
    [plan-bare-achievement] 値とその単位のすぐ後に % のない数値があります（{ $cells }）。その年度の達成率として読み、次の年度の値とはしていません（書式なしで写した 0% のセルは 0 になります）。単位を付け忘れた次の年度の値であれば、この行のそれより後の値はすべて 1 年度前のものです。値の横に単位を入力してください
    [name-split] この行の名前には番号がなく、すぐ上の番号付きの行（「{ $above }」）には値がありません。上の名前の続きとその値が、この行に分かれたのでしょうか。書かれたとおり別の指標として読みました。名前の続きであれば、名前を一つのセルにまとめてください
    [name-only] 番号の付いた指標の下にある、番号も値もない名前だけの行です。上の指標名の続きか見出しか分からないため、指標としては読んでいません。名前の続きであれば同じセルに入れてください
   *[indicator-table] 指標名と最終目標値より多くのセルがある指標の行です。どれが目標値か分かりません
}
ambiguous_column = { $case ->
   *[hidden] { $column } 列はブックで非表示ですが、その { $cells } 個のセル（{ $first }～{ $last }）を表示中の列と同じように表に読んでいます。非表示の列は古い列（前の年度、当初の目標値など）の残りであることがよくあります。現在のデータでなければ削除してください
}
ambiguous_cell = { $case ->
    [bare-among-units] { $value } には単位がなく、同じ行の他の値はすべて { $unit } です。{ $unit } を付け忘れた { $value }{ $unit } ですか。単位なしの { $value } として読みました。{ $value }{ $unit } と入力してください
    [unit-differs] { $value } の単位は { $unit } と読めますが、同じ行の他の値は { $other } です。値の後の語か、入力の誤りですか。読んだとおりに残したため、他の値とは比べません。数値の後には { $other } だけを書き、注記は括弧に入れてください（（見込み））
    [bare-among-percents] { $value } には単位がなく、同じ行には同じくらいの大きさの % の値が並んでいます。% を付け忘れた { $value }% ですか。単位なしの { $value } として読んだため、達成度の評価では割合として扱いません。{ $value }% と入力してください
    [item-number-unread] 取組名「{ $title }」は番号で始まりますが、マッピングの number_pattern ではその番号を読めません。この取組の行には取組番号が入らず、他のシートの同じ取組と結び付きません。番号をパターンどおりに書くか（(1) 電子申請…）、この書き方を number_pattern に加えてください
    [kpi-in-field] この欄（{ $field }）の文に値のある KPI（R5：65% など）がありますが、KPI は KPI の欄からしか読まないため、読んでいません。KPI の欄に移してください
    [kpi-entry-note] KPI の値「{ $entry }」の後の「{ $note }」（括弧や文）に、KPI の書式で読める年度のない値があります。値は読みましたが、その値は読んでいません。年度を書式どおりに書けば（（R5実績：60.2%）、（R4上期：54.7%））過去の値として読みます
    [kpi-year-disagrees] KPI の値「{ $entry }」は { FY($fy) } と、括弧内の西暦 { $western } 年度とで年度が合いません。どちらの年度か分からないため読んでいません。年度は一つだけ書いてください（R5：65%）
    [kpi-bracketed-value] KPI の値「{ $entry }」は値が括弧に入っています。暫定値か、見込みか、会計式の負の数か分からないため読んでいません。括弧を付けずに書いてください（R6：60課所）。負の数はマイナス記号か ▲ で書いてください
    [period-for-comma] { $value } は、同じ単位で百以上の整数が並ぶ行にあります。小数ですか、桁区切りのカンマをピリオドで打った { $thousands } ですか。書かれたとおりに読みました。{ $thousands } であればカンマで入力してください
    [slid-column] この表では { FY($fy) } の目標値の欄がどの行も空で、その年度の目標値は最後の四半期の欄にあります（PDF からのテキストなど）。他の値は指標表の最終目標値と一致しますが、この値は一致しません（見直した目標値か、指標表にない KPI か、第4四半期の実績か）。読んでいません。正しい欄に入力してください
    [slid-target] { FY($fy) } の目標値の欄が空で、その左の第4四半期の欄に値があります。この行は他の年度の目標値を埋めています。目標値が一つ左にずれたのか（PDF からのテキストなど）、第4四半期の実績か、指標表のその年度の最終目標値と一致しないため判断できず、読みませんでした。正しい欄に入力してください
    [struck] この値には取り消し線が引かれていますが、有効な値として読みました。無効にする意図であれば削除してください（置き換える値があれば入力してください）
    [whole-in-percent-cell] パーセント書式のセルで { $value }% です。同じ行の他の割合はその10分の1以下です。{ $typed } をパーセント書式のセルに入力しましたか？表示どおり { $value }% として読みました。{ $typed }% と入力してください
    [fraction-among-percents] { $value } には単位がなく、同じ行の他の値は % です。割合（{ $percent }%）ですか、{ $value }% ですか。単位なしの { $value } として読みました。% で入力してください
    [kpi-fraction-among-percents] KPI「{ $entry }」には単位がなく、同じ KPI の他の値は % です。割合（{ $percent }%）ですか、{ $value }% ですか。単位なしの { $value } として読みました。% で書いてください
    [bracketed-kind] 括弧内の KPI の値「{ $entries }」には目標か実績かを示す語がないため、基準値（過去の値）として読みました。中間目標であれば括弧内に「目標」と書いてください（（中間目標 R5：65%））
    [year-range] KPI「{ $entry }」は { FY($from) }～{ FY($to) } の複数年度に一つの値です。各年度の値か期間全体の値か分からないため、{ FY($to) } の値としてだけ読みました。各年度の値であれば値の前に「各」を書いてください（R5～R7：各60課所）
    [merged-across] { $region } に結合された値です。表ではそれぞれ別の年度・区分・指標の欄にあたり、各欄の値か合計の値か分かりません。このセルの欄だけに読みました。各欄の値であれば、それぞれのセルに入力してください
    [kpi-name-holds-values] KPI「{ $name }」の名前に値が残っています。年度の書き方がマッピングの KPI の書式にないため、これらの値は読んでいません（R5：65% の形で書いてください）
    [kpi-name-is-unit] KPI の名前が「{ $name }」という単位の語です。前の値の単位が空白で離れたものか、KPI の名前か分かりません。名前として読みました。単位は値に続けて書いてください（R5：60課所）
    [kpi-without-marker] KPI は { $marker } で始まる欄ですが、このセルには { $marker } がなく、年度付きの数値があります。文として残し、KPI としては読んでいません。ここでの書き方をマッピングの other_markers に加えてください
    [plan-before-kind] 目標・実績の区分より前にあり、区分・指標・KGI 番号のいずれでもないセルです
    [baseline-as-text] 数字を含む基準値ですが、値として読めません（年度や注記が付いていませんか）。文字として残しました。値だけを書き、年度は見出しに書いてください
    [row-long] この行は見出しの行（{ $fields } 欄）より多くの欄に分かれています。テキストの抽出でセルが二つに割れたか（値と単位など）、空の欄が加わり、それがどこかは分からないため、この行の値は読みませんでした。割れたセルをつないで取り込み直してください
    [row-short] この行は見出しの行（{ $fields } 欄）より欄が少なくなっています。テキストの抽出で空のセルが落ち、それがどこかは分からないため、この行の値は読みませんでした。空の値の所に「－」を入れて取り込み直してください
    [number-in-text] 数値の前に語のある値のセルです（日付や時点の注記？）。文字として残し、値としては読んでいないため、評価はそれより前の数値を使います。値だけを書き（88.7%）、時点は見出しか備考の列に書いてください
    [number-as-text] 数字で始まるのに数値として読めない値です(小数点を「、」で書いた、後に文が続くなど)。文字として残しました。数値だけを書いてください(34.5%)
    [plan-unit-differs] 単位付きの値（{ $unit }）の隣に別の単位のセルがあります。値の単位のまま読みました。どちらが正しいか確認してください
    [undated-month] { $column } 列の見出しは月を示していますが、時点が分かりません（その月だけの値か、月末時点の値か）。読まず、年度全体の値ともしていません。見出しを「実績値（12月末）」や「（4～12月）」のように書いてください
   *[list-no-kind] 見出しに年度はありますが、目標値か実績値かが分かりません。推測はしていません
}
fewer_years_than_header = この目標の行には見出しの { $years } 年度に対して目標値が { $found } 年度分しかなく、セルが詰まっていて空欄の年度が分かりません。前から順に{ FY($fy) }～{ FY($fy_to) }として読みました（見出しは{ FY($fy_last) }まで）。途中の年度が空欄だった場合、それより後の目標値は後の年度のものです。元の文書を確認し、抜けた年度の目標値（なければ「―」）を入力してください
item_heading_missing = { $case ->
    [inside] 項目 { $item }（{ $from } 行目から）の中に「{ $label }」など項目の欄がもう一度あります。それらの項目の見出しが様式の知らない書き方のため、ここから次の項目までの行は項目 { $item } のものとせず、読んでいません。見出しを様式の項目の始まり（{ $anchor }）のように書いてください
   *[before-first] 最初の項目の見出しより前に「{ $label }」など項目の欄があります。その項目の見出しが様式の知らない書き方のため、これらの行は読んでいません。見出しを様式の項目の始まり（{ $anchor }）のように書いてください
}
item_without_title = この項目の番号・名称を読み取れません。その行の取組の列は空欄です
unreadable_count = 「達成件数 / 件数」の形になっていない評価の件数です
undecodable_bytes = { $line }行目に { $encoding } として読めないバイトがあります（文字は U+FFFD と表示されます）。ファイルを一つの文字コード（UTF-8 か Shift_JIS）で保存してください
duplicate_file = { $first } と同じ内容です。行はそちらから一度だけ取り込みました
formula_error = { $case ->
    [unread] どの表も読まないセルに数式のエラー { $error } があります
    [uncomputed] 計算結果が保存されていない数式です(計算をしないプログラムで保存されたファイル)。セルに値がありません。Excel または LibreOffice で開いて保存し直し、もう一度取り込んでください
   *[value] 値が入るべきセルが数式のエラーです。元のシートの数式を直してください
}
date_in_value_cell = 数値が入るべきセルが日付です。文字として残しました
not_evaluable = 指標「{ $indicator }」の{ FY($fy) }は評価できません: { $case ->
    [text-target] 目標値が数値ではなく文字です
    [target-no-value] 目標値に値がありません（状態 { $status }）
    [actual-no-value] { $sheet } { $cell } の実績値に値がありません（状態 { $status }、{ $raw }）
    [percent-as-fraction] { $sheet } { $cell } の実績値 { $actual } に単位がなく、目標値は { $target }% です: 比率（{ $percent }%）か { $actual }% か決められません。パーセントで入力してください（{ $raw }）
    [quarter-units] 四半期の値の単位がそろっていません: { $units }
   *[units] 単位が一致しません: 目標値 { $target } { $target_unit }、実績値 { $actual } { $actual_unit }（{ $sheet } { $cell }、{ $raw }）
}
conflicting_values = 指標「{ $indicator }」: ここでは { $raw } ですが、{ $other_cell } では同じ年度・期間・区分に { $other_raw } とあります。両方の行を残しました。どちらが正しいか確認してください
repeated_values = ここから { $count } 個の値が、シート { $other_cell } の値と一つずつ同じです（同じ項目・指標・年度・期間・区分）。シートの写しか、項目をまとめた一覧ですか。どちらも残したため、合計や件数では二重に数えられます。写しを削除するか、一つのファイルには一つの版だけを残してください
printed_achievement_differs = 指標「{ $indicator }」の{ FY($fy) }: シートの表示は { $printed } ですが、値から計算すると { $case ->
    [rate] { $rate }（{ $status }）
   *[status] { $status }
} です（実績値 { $actual }、目標値 { $target }）。シートの計算を確認してください
evaluation_sources_disagree = 指標「{ $indicator }」の{ FY($fy) }: { $file } では目標値 { $target } / 実績値 { $actual }、{ $other_file } では { $other_target } / { $other_actual } です。前者を使いました
unmapped = この様式のどの表にも入らないセルです
slid_target_repaired = { FY($fy) }の目標値として読みました（第4四半期の実績値ではありません）: 目標値のセルが空で、この値が指標の最終目標値と同じです
as_of_from_title = { $column } 列は{ FY($fy) }の実績値ですが、時点の記載がありません。表の上の表題に時点（{ $date }）があるため、その日時点の値として読みました（年度全体の実績ではありません）
header_target_inferred = 見出しに{ FY($fy) }の目標値の列がありません。それまでの年度と同じく第4四半期の次の列（{ $column }列）をその年度の目標値として読みました
schedule_cell_split = 抽出で目標と実績の行が一つになっていました。2語のセルは目標と実績に分け、それ以外はそのまま target_actual としました
achievement_cell = 指標「{ $indicator }」の{ FY($fy) }に表示された達成状況: { $printed }
schedule_reference = 取組の横にある参照のセルです。工程ではありません
decoration = PDF の抽出で残った罫線またはページ番号です。データはなく、表はその先も続けて読みます
lock_file_skipped = Excel のロックファイルです（ブックが Excel で開かれています）。読み飛ばしました
not_an_input = torikumi が読むブック・テキストの形式ではありません。読み飛ばしました

## 実行結果（ingest, check）

summary-file = { $file }: { $status ->
    [ok] 正常
    [warnings] 警告あり
    [errors] エラーあり
    [duplicate] 重複
   *[other] { $status }
} [{ $layout }]、読んだセル { $read } = 表に入ったもの { $mapped } + 診断 { $unmapped }。エラー { $errors } 件、警告 { $warnings } 件{ $unread }
summary-no-layout = 様式なし
summary-total = 合計: ファイル { $files } 件、読んだセル { $read } = 表に入ったもの { $mapped } + 診断 { $unmapped }。観測値 { $observations } 行、指標 { $indicators } 件、取組 { $initiatives } 件、工程 { $schedule } 行。エラー { $errors } 件、警告 { $warnings } 件{ $unread }
summary-unread = 、読まれていない値のセル { $count } 件（unmapped_value）
mappings-in-force = 使用中のマッピング: { $mappings }
mappings-built-in = 組み込み
mappings-overlay = 組み込み + { $dir }（{ $parts }）
mappings-overrides = 差し替え { $count } 件: { $files }
mappings-added = 追加 { $count } 件: { $files }
mappings-same = 組み込みと同じ
mapping-tests-pass = マッピングのテスト: [[tests]] の { $cases } 件すべて合格
mapping-tests-failed = マッピングのテスト: { $count } 件の期待が不合格（先頭に一覧）
mapping-test-failed = エラー: マッピングのテストが不合格: { $failure }
ingest-reread = 読み直したファイル { $reread } 件、変更がなく再利用したファイル { $reused } 件（--full ですべて読み直します）
ingest-written = 出力先: { $out }
severity = { $severity ->
    [error] エラー
    [warning] 警告
   *[info] 情報
}

## コマンドの知らせ（エラー・待機・進捗・render・report・inspect・merge）

error = エラー: { $error }
waiting = 待機中: { $dir } は { $holder } が使用中です
lock-taken-over = 注意: { $holder } は終了していません（{ $dir } のロックが残っていました）。ロックを引き継ぎます
shard-parts-removed = 注意: 以前のシャード実行の部分ファイル { $count } 件を削除しました。この実行の表が置き換えます
progress = 進捗: { $done }/{ $total } ファイル
progress-bar-files = ファイル
shard-start = シャード { $shard }: ファイルごとの表を部分ファイルとして書きます（parquet/<表>/{ $part }）。ブック・evaluation・evaluation_summary は作りません。{ $count } 個のシャードがすべて終わったら `torikumi merge --out { $out }` を実行してください
merged = { $count } 個のシャードを { $out } にまとめました
render-no-division = 出力するものがありません: { $from } には所属 { $division } の項目がありません
render-no-layout = 出力するものがありません: { $from } のどの計画にも出力様式（render）がありません
render-written = { $path }: [{ $layout }] シート { $sheets } 枚
render-unplaced = 警告: 値 { $count } 件（観測値・工程のセル・件数）はこの様式に入るセルがなく（様式にない期間）、書いていません
report-written = { $out }: 目標・年度 { $goals } 件、指標・年度 { $indicators } 件、警告とエラー { $diagnostics } 件、入力ファイル { $files } 件
inspect-built-in-fallback = 注意: マッピングのフォルダを読み込めません（`>` で作ったばかりの空のファイル？）。組み込みのマッピングで下書きします
inspect-no-sheet = { $file } に { $sheet } という名前のシートはありません
