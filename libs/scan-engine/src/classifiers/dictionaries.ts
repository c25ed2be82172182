/**
 * Word lists behind the dictionary rules, lower-cased. Purview uses Bloom filters over large data sets for cities
 * and names; here the city list is a short one of large cities (enough for typical sample data, documented as such).
 */

const set = (text: string) => new Set(text.split('|').map((s) => s.trim().toLowerCase()));

export const US_STATE_NAMES = set(
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|' +
    'Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|' +
    'New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|' +
    'South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming',
);

export const US_STATE_CODES = set(
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY',
);

export const CITY_NAMES = set(
  'Tokyo|Delhi|New Delhi|Shanghai|Sao Paulo|São Paulo|Mexico City|Cairo|Mumbai|Beijing|Dhaka|Osaka|New York|New York City|Karachi|' +
    'Buenos Aires|Chongqing|Istanbul|Kolkata|Manila|Lagos|Rio de Janeiro|Tianjin|Kinshasa|Guangzhou|Los Angeles|Moscow|Shenzhen|Lahore|' +
    'Bangalore|Bengaluru|Paris|Bogota|Bogotá|Jakarta|Chennai|Lima|Bangkok|Seoul|Nagoya|Hyderabad|London|Tehran|Chicago|Chengdu|Nanjing|' +
    'Wuhan|Ho Chi Minh City|Luanda|Ahmedabad|Kuala Lumpur|Hong Kong|Dongguan|Hangzhou|Foshan|Riyadh|Baghdad|Santiago|Surat|Madrid|' +
    'Suzhou|Pune|Harbin|Houston|Dallas|Toronto|Dar es Salaam|Miami|Belo Horizonte|Singapore|Philadelphia|Atlanta|Fukuoka|Khartoum|' +
    'Barcelona|Johannesburg|Saint Petersburg|Qingdao|Dalian|Washington|Yangon|Alexandria|Jinan|Guadalajara|Abidjan|Sydney|Melbourne|' +
    'Brisbane|Perth|Adelaide|Auckland|Wellington|Montreal|Montréal|Vancouver|Calgary|Ottawa|Edmonton|Boston|Seattle|San Francisco|' +
    'San Diego|San Jose|Phoenix|Denver|Detroit|Minneapolis|Las Vegas|Portland|Austin|Nashville|Baltimore|Charlotte|Orlando|Tampa|' +
    'Berlin|Hamburg|Munich|München|Cologne|Köln|Frankfurt|Stuttgart|Düsseldorf|Vienna|Wien|Zurich|Zürich|Geneva|Genève|Rome|Roma|Milan|' +
    'Milano|Naples|Napoli|Turin|Torino|Lisbon|Lisboa|Porto|Valencia|Seville|Sevilla|Amsterdam|Rotterdam|The Hague|Brussels|Bruxelles|' +
    'Antwerp|Copenhagen|København|Stockholm|Oslo|Helsinki|Dublin|Edinburgh|Glasgow|Manchester|Birmingham|Liverpool|Leeds|Bristol|' +
    'Warsaw|Warszawa|Krakow|Kraków|Prague|Praha|Budapest|Bucharest|București|Sofia|Athens|Kyiv|Kiev|Minsk|Lyon|Marseille|Toulouse|Nice|' +
    'Bordeaux|Lille|Nantes|Strasbourg|Dubai|Abu Dhabi|Doha|Tel Aviv|Jerusalem|Ankara|Izmir|Casablanca|Nairobi|Accra|Addis Ababa|' +
    'Cape Town|Durban|Kyoto|Yokohama|Sapporo|Kobe|Busan|Taipei|Hanoi|Manaus|Brasilia|Brasília|Salvador|Fortaleza|Recife|Porto Alegre|' +
    'Curitiba|Medellin|Medellín|Cali|Caracas|Quito|Montevideo|Havana|Monterrey|Puebla|Tijuana|Reykjavik|Tallinn|Riga|Vilnius|Zagreb|' +
    'Belgrade|Ljubljana|Bratislava|Luxembourg|Valletta|Nicosia|Mumbai|Jaipur|Lucknow|Kanpur|Nagpur|Karachi|Islamabad|Kathmandu|Colombo',
);

/** Among the most used passwords in public breach corpora (the kind of list Purview's rule matches). */
export const COMMON_PASSWORDS = set(
  '123456|password|123456789|12345678|12345|qwerty|1234567|111111|1234567890|123123|abc123|1234|password1|iloveyou|1q2w3e4r|000000|' +
    'qwerty123|zaq12wsx|dragon|sunshine|princess|letmein|654321|monkey|27653|1qaz2wsx|123321|qwertyuiop|superman|asdfghjkl|football|' +
    'baseball|welcome|admin|login|master|hello|freedom|whatever|trustno1|shadow|michael|jennifer|access|passw0rd|starwars|charlie|' +
    'donald|mustang|121212|666666|7777777|987654321|123qwe|qwe123|1qaz2wsx3edc|admin123|welcome1|password123|p@ssw0rd|changeme|' +
    'secret|batman|ninja|azerty|solo|loveme|whatever1|hottie|flower|zxcvbnm|asdfgh|killer|jordan|michelle|hunter|ranger|buster|' +
    'soccer|harley|thomas|robert|daniel|andrew|joshua|pepper|ginger|summer|cheese|computer|internet|matrix|maggie|biteme|test|test123|guest',
);

/** Values of a gender column; single letters only count when the column name says gender (see the rule). */
export const GENDER_WORDS = set(
  'male|female|man|woman|men|women|boy|girl|non-binary|nonbinary|non binary|genderqueer|genderfluid|agender|transgender|trans man|' +
    'trans woman|intersex|other|unknown|not specified|prefer not to say|undisclosed|masculin|féminin|feminin|männlich|weiblich|divers|' +
    'masculino|femenino|feminino|maschio|femmina',
);
export const GENDER_LETTERS = set('m|f|x|u|o|n');
